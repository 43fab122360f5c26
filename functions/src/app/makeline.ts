import { transition, type OrderItem, type StoredOrder } from '../domain/order.js';
import type { Services } from '../ports.js';
import { settleOrderStock } from './stock.js';

/** Takes stock for all of the order's items in one store call; the item that is short, if any. */
async function reserveAll(services: Services, order: StoredOrder): Promise<OrderItem | undefined> {
  const reservation = await services.products.reserveStock(order.orderId, order.items);
  if (reservation.outcome === 'reserved') return undefined;
  return order.items.find((item) => item.productId === reservation.productId);
}

/** Re-reads after a write that lost to one leaving the order received, before the queue's redelivery takes over. */
const STALE_RETRIES = 3;

/**
 * Takes stock for a received order and moves it to pending, or to rejected when an item is
 * short. Safe to run any number of times, even concurrently, for the same order.
 */
export async function makeOrder(services: Services, orderId: string, attempt = 0): Promise<StoredOrder> {
  const order = await services.orders.get(orderId);
  // Thrown, not swallowed: the queue redelivers and finally dead-letters it for a human to see.
  if (!order) throw new Error(`order ${orderId} does not exist`);

  // Only a received order takes stock: the status read here, not a hold, is what stops a
  // redelivery for an order that is final and whose holds are forgotten from taking it again.
  if (order.status !== 'received') {
    // A redelivery after the order moved on; finish any settling a crash may have interrupted.
    await settleOrderStock(services, order);
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
    if (short) await settleOrderStock(services, next);
    return next;
  }
  const fresh = await services.orders.get(orderId);
  // Still received: something else was written (its email recorded sent), so make it again, a few times at most.
  if (fresh?.status === 'received' && attempt < STALE_RETRIES) return makeOrder(services, orderId, attempt + 1);
  if (!fresh || fresh.status === 'received') throw new Error(`order ${orderId} changed under the makeline; retrying`);
  // A parallel delivery won. If it rejected the order, what this one took goes back with the rest.
  await settleOrderStock(services, fresh);
  return fresh;
}
