import { orderNotFound } from '../domain/errors.js';
import type { StoredOrder } from '../domain/order.js';
import type { Services } from '../ports.js';

/**
 * The order as a customer may see and act on it. Today whoever holds the order's id may: the id
 * is unguessable and only its customer was given it. The one place to narrow that (say, to the
 * signed-in customer who owns it); a caller who may not gets the same 404 as for no such order.
 */
export async function customerOrder(services: Services, orderId: string): Promise<StoredOrder> {
  const order = await services.orders.get(orderId);
  if (!order) throw orderNotFound(orderId);
  return order;
}
