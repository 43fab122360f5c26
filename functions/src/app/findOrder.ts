import { orderNotFound } from '../domain/errors.js';
import type { StoredOrder } from '../domain/order.js';
import type { Services } from '../ports.js';

/**
 * Any order by its id, or not_found. Who may then see or act on it is the caller's rule: whoever
 * holds a guest's order id may see it (the id is unguessable and only its customer was given it);
 * acting on a signed-in customer's order is narrower (mayActOnOrder, checked by applyCancellation).
 */
export async function findOrder(services: Services, orderId: string): Promise<StoredOrder> {
  const order = await services.orders.get(orderId);
  if (!order) throw orderNotFound(orderId);
  return order;
}
