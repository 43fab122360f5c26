import { newProduct } from '../domain/product.js';
import type { Logger, Services } from '../ports.js';
import { demoCatalog } from './demoCatalog.js';

/**
 * Fills an empty catalog with the demo products; returns how many it added. Safe when many
 * instances start at once: the products have fixed ids and create() inserts only when the id is
 * free, so a product another instance added first is skipped, never doubled, never an error.
 */
export async function seedCatalogIfEmpty({ products, clock }: Pick<Services, 'products' | 'clock'>): Promise<number> {
  const { items } = await products.list({ limit: 1 });
  if (items.length > 0) return 0;
  let added = 0;
  for (const { id, ...draft } of demoCatalog) {
    if (await products.create(newProduct(id, draft, clock.now()))) added++;
  }
  return added;
}

/**
 * Seeds at start when SEED_CATALOG allows. A failure is logged and never stops the store: the
 * next start (a new instance or a restart) tries again.
 */
export async function seedCatalogOnStart(services: Pick<Services, 'config' | 'products' | 'clock'>, log: Logger): Promise<void> {
  if (!services.config.seedCatalog) return;
  try {
    const added = await seedCatalogIfEmpty(services);
    if (added > 0) log.info(`seeded the empty catalog with ${added} demo products`);
  } catch (error) {
    log.error('seeding the demo catalog failed; the store runs without it, and the next start tries again', error);
  }
}
