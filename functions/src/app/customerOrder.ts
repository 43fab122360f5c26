import { orderNotFound } from '../domain/errors.js';
import type { StoredOrder } from '../domain/order.js';
import type { Services } from '../ports.js';

/**
 * The order as its customer sees it: whoever holds the order's id may, since the id is
 * unguessable and only its customer was given it. Acting on a signed-in customer's order is
 * narrower (mayActOnOrder, checked by cancelOrder).
 */
export async function customerOrder(services: Services, orderId: string): Promise<StoredOrder> {
  const order = await services.orders.get(orderId);
  if (!order) throw orderNotFound(orderId);
  return order;
}
