import type { Product } from './product.js';

/** How many related products a product page shows: one row on a wide screen. */
export const RELATED_LIMIT = 4;

/**
 * The products to show beside `product`: others that share a tag with it and are in stock, those
 * sharing the most tags first, then in catalog (name) order. None when it has no tags.
 */
export function relatedProducts(product: Product, candidates: readonly Product[], limit = RELATED_LIMIT): Product[] {
  const tags = new Set(product.tags);
  const shared = (other: Product) => other.tags.filter((tag) => tags.has(tag)).length;
  const unique = new Map(candidates.map((candidate) => [candidate.id, candidate]));
  return [...unique.values()]
    .filter((other) => other.id !== product.id && other.stock > 0 && shared(other) > 0)
    .sort((a, b) => shared(b) - shared(a) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
    .slice(0, limit);
}
