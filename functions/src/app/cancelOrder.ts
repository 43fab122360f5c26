import { StoreError } from '../domain/errors.js';
import { isCancellable, orderNotFound, transition, type StoredOrder } from '../domain/order.js';
import type { Services } from '../composition.js';
import { settleOrderStock } from './stock.js';

/** Who asks: the customer, or an employee with the reason the customer will read. */
export type Cancellation = { by: 'customer' } | { by: 'employee'; reason: string; expectedVersion: number };

export const CUSTOMER_CANCEL_REASON = 'Cancelled at the customer’s request.';

/** Each lost race re-reads the order; only the makeline and the workers move it, a few steps at most. */
const ATTEMPTS = 5;

function notCancellable(order: StoredOrder): StoreError {
  const why = order.status === 'processing'
    ? 'It is already being prepared.'
    : `It is already ${order.status}.`;
  return new StoreError('conflict', 'not_cancellable', `This order can no longer be cancelled. ${why}`, [
    { path: 'status', message: 'only a received or pending order can be cancelled', status: order.status },
  ]);
}

function stale(current: StoredOrder): StoreError {
  return new StoreError('conflict', 'stale_version', 'Someone else changed this order first; reload it and try again.', [
    { path: 'version', message: `the order is now at version ${current.version}`, current: current.version, status: current.status },
  ]);
}

/**
 * Cancels an order nobody has started on (received or pending) and gives its stock back. The
 * makeline may be reserving at the same moment: whichever writes second sees a new version. If
 * the cancel wins, the makeline's write fails, it reads a cancelled order and gives back what it
 * took; if the makeline wins, the cancel re-reads a pending order and cancels that. A customer
 * cancels whatever version is current; an employee only the version they saw.
 */
export async function cancelOrder(services: Services, order: StoredOrder, cancellation: Cancellation): Promise<StoredOrder> {
  let current = order;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await settleOrderStock(services, current); // repairs an interrupted settling of a final order
    if (!isCancellable(current.status)) throw notCancellable(current);
    if (cancellation.by === 'employee' && current.version !== cancellation.expectedVersion) throw stale(current);

    const reason = cancellation.by === 'employee' ? cancellation.reason : CUSTOMER_CANCEL_REASON;
    const next = transition(current, 'cancelled', services.clock.now(), reason);
    const result = await services.orders.replace(next, current.version);
    if (result.outcome === 'replaced') {
      await settleOrderStock(services, next);
      return next;
    }
    const fresh = await services.orders.get(current.orderId);
    if (!fresh) throw orderNotFound(current.orderId);
    current = fresh;
  }
  throw new StoreError('conflict', 'busy_order', 'This order kept changing while we tried to cancel it; try again.');
}
