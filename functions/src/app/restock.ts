import { productNotFound, stockLimitReached, StoreError } from '../domain/errors.js';
import type { Product } from '../domain/product.js';
import type { Actor, Services } from '../ports.js';
import { audit } from './audit.js';

/** Who restocks on its own: in the audit log beside the employees. */
export const VIRTUAL_SUPPLIER: Actor = { userId: 'virtual-supplier', userDetails: 'Virtual supplier', identityProvider: 'store' };

/** The most products the overview lists as low, and the supplier restocks in one run. */
export const LOW_STOCK_LIMIT = 50;

/**
 * Adds `quantity` to a product's stock as one atomic increment, so an order reserving the same
 * product at the same moment keeps its share, and records who did it with the stock before and after.
 */
export async function restockProduct(services: Services, actor: Actor, id: string, quantity: number): Promise<Product> {
  const result = await services.products.restock(id, quantity);
  if (result.outcome !== 'restocked') {
    if (result.outcome === 'missing') throw productNotFound(id);
    throw stockLimitReached(quantity);
  }
  const product = result.value;
  await audit(services, actor, 'product.restock', id, { before: { stock: product.stock - quantity }, after: { stock: product.stock } }, product.name);
  return product;
}

/** The virtual supplier: every product running low gets the restock quantity. Returns how many it restocked. */
export async function restockLowProducts(services: Services): Promise<number> {
  const { threshold, restockQuantity } = services.config.lowStock;
  const low = await services.products.lowStock(threshold, LOW_STOCK_LIMIT);
  let restocked = 0;
  for (const product of low) {
    try {
      await restockProduct(services, VIRTUAL_SUPPLIER, product.id, restockQuantity);
      restocked++;
    } catch (error) {
      if (!(error instanceof StoreError)) throw error; // deleted or filled up meanwhile
    }
  }
  return restocked;
}
