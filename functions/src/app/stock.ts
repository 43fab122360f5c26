import { isFinal, releasesStock, type Order } from '../domain/order.js';
import type { Services } from '../ports.js';

/**
 * Settles what a final order holds: a rejected or cancelled order gives its stock back, a
 * completed one keeps it; either way its holds are forgotten, so a product's record stays small
 * however many orders it has had. Idempotent, so any step may repeat it; does nothing while the
 * order is still live.
 */
export async function settleOrderStock(services: Services, order: Order): Promise<void> {
  if (!isFinal(order.status)) return;
  const productIds = order.items.map((item) => item.productId);
  if (releasesStock(order.status)) await services.products.releaseStock(order.orderId, productIds);
  else await services.products.forgetHolds(order.orderId, productIds);
}
