import type { Order } from '../domain/order.js';
import type { Services } from '../composition.js';

/** Gives back everything the order holds. Idempotent, so any step may repeat it. */
export async function releaseOrderStock(services: Services, order: Order): Promise<void> {
  for (const item of order.items) await services.products.releaseStock(order.orderId, item.productId);
}
