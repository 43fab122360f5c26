import { newProduct } from '../domain/product.js';
import type { Services } from '../composition.js';
import { seedCatalog } from './seedCatalog.js';

/** Fills an empty catalog with the store's own demo products; returns how many it added. */
export async function seedCatalogIfEmpty({ products, clock }: Services): Promise<number> {
  const { items } = await products.list({ limit: 1 });
  if (items.length > 0) return 0;
  let added = 0;
  for (const { id, ...draft } of seedCatalog) {
    if (await products.create(newProduct(id, draft, clock.now()))) added++;
  }
  return added;
}
