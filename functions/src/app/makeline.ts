import { releasesStock, transition, type OrderItem, type StoredOrder } from '../domain/order.js';
import type { Services } from '../composition.js';
import { releaseOrderStock } from './stock.js';

async function reserveAll(services: Services, order: StoredOrder): Promise<OrderItem | null> {
  for (const item of order.items) {
    const outcome = await services.products.reserveStock(order.orderId, item.productId, item.quantity);
    if (outcome !== 'reserved') return item;
  }
  return null;
}

/**
 * Takes stock for a received order and moves it to pending, or to rejected when an item is
 * short. Safe to run any number of times, even concurrently, for the same order.
 */
export async function makeOrder(services: Services, orderId: string): Promise<StoredOrder> {
  const order = await services.orders.get(orderId);
  // Thrown, not swallowed: the queue redelivers and finally dead-letters it for a human to see.
  if (!order) throw new Error(`order ${orderId} does not exist`);

  if (order.status !== 'received') {
    // A redelivery after the order moved on; finish any release a crash may have interrupted.
    if (releasesStock(order.status)) await releaseOrderStock(services, order);
    return order;
  }

  const short = await reserveAll(services, order);
  const now = services.clock.now();
  const next = short
    ? transition(order, 'rejected', now, `Not enough stock for ${short.name}.`)
    : transition(order, 'pending', now);

  const result = await services.orders.replace(next, order.version);
  if (result.outcome === 'replaced') {
    // Rejected first, released after: a parallel delivery can then never see pending without stock.
    if (short) await releaseOrderStock(services, next);
    return next;
  }
  const fresh = await services.orders.get(orderId);
  if (!fresh || fresh.status === 'received') throw new Error(`order ${orderId} changed under the makeline; retrying`);
  if (releasesStock(fresh.status)) await releaseOrderStock(services, fresh);
  return fresh;
}
