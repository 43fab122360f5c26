import { notReceived, orderNotFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import type { StoredOrder } from '../domain/order.js';
import type { Principal, Services } from '../ports.js';
import { audit } from './audit.js';

/**
 * An employee sends an order that is still received to the makeline again: the outbox sweeper
 * stops re-sending after half the duplicate detection window (config.outbox). The message gets
 * an id of its own so that duplicate detection never drops it; the makeline is idempotent.
 */
export async function resendOrder(services: Services, employee: Principal, orderId: string): Promise<StoredOrder> {
  const order = await services.orders.get(orderId);
  if (!order) throw orderNotFound(orderId);
  if (order.status !== 'received') throw notReceived(order.status);
  await services.queue.send({ orderId }, `${orderId}/resend-${newId()}`);
  await audit(services, employee, 'order.resend', orderId, { before: { number: order.number, status: order.status, version: order.version } }, order.number);
  return order;
}
