import { productNotFound } from '../domain/errors.js';
import { publicProduct, type Product } from '../domain/product.js';
import { RELATED_LIMIT, relatedProducts } from '../domain/related.js';
import type { Services } from '../ports.js';

/** Tags looked up per product: a product's first few say what it is; more would only add reads. */
const TAGS_READ = 3;
/** Candidates read per tag: enough to fill the row after leaving out the sold out and the product itself. */
const PER_TAG = 12;

/** The in-stock products sharing a tag with this one, for "Related products" (domain/related.ts ranks them). */
export async function productsRelatedTo(services: Services, productId: string): Promise<Product[]> {
  const product = await services.products.get(productId);
  if (!product) throw productNotFound(productId);
  const pages = await Promise.all(product.tags.slice(0, TAGS_READ).map((tag) => services.products.list({ tag, limit: PER_TAG })));
  return relatedProducts(product, pages.flatMap((page) => page.items), RELATED_LIMIT).map(publicProduct);
}
