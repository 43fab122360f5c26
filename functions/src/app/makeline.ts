import { transition, type StoredOrder } from '../domain/order.js';
import type { Logger, Services } from '../ports.js';
import { reserveOrderStock, settleOrderStock } from './stock.js';

/**
 * Hands the order to the makeline. A failed send is not the customer's problem: the order is
 * stored as received, and the outbox sweeper sends it again.
 */
export async function sendToMakeline(services: Services, order: StoredOrder, log: Logger): Promise<void> {
  try {
    await services.queue.send({ orderId: order.orderId }, order.orderId);
  } catch (error) {
    log.warn(`order ${order.orderId} stored but not yet queued; the outbox sweeper will retry`, error);
  }
}


/**
 * Moves a received order to pending: a paid one holds its stock already; one stored before
 * payments takes it here, or is rejected when an item is short. Safe to run any number of times,
 * even concurrently, for the same order.
 */
export async function makeOrder(services: Services, orderId: string): Promise<StoredOrder> {
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

  // A paid order took its stock before it was charged (placeOrder, app/payments.ts): only an
  // order stored before payments still takes it here.
  const short = order.payment?.status === 'paid' ? undefined : await reserveOrderStock(services, order);
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
  if (!fresh || fresh.status === 'received') throw new Error(`order ${orderId} changed under the makeline; retrying`);
  // A parallel delivery won. If it rejected the order, what this one took goes back with the rest.
  await settleOrderStock(services, fresh);
  return fresh;
}
