import { notCancellable, notYourOrder, orderChangedFirst, orderKeptChanging, orderNotFound, paymentInProgress } from '../domain/errors.js';
import { refundOwed } from '../domain/paymentSteps.js';
import { isCancellable, transition, type StoredOrder } from '../domain/order.js';
import { changeVersion } from '../domain/notices.js';
import { mayActOnOrder } from '../domain/owner.js';
import type { Actor, Logger, Principal, Services } from '../ports.js';
import { audit } from './audit.js';
import { refundOrder } from './payments.js';
import { settleOrderStock } from './stock.js';

/**
 * Who asks: the customer (signed in, or holding the order's link), or an employee with the reason
 * the customer will read.
 */
export type Cancellation =
  | { by: 'customer'; caller?: Principal | null }
  | { by: 'employee'; employee: Principal; reason: string; expectedVersion: number };

export const CUSTOMER_CANCEL_REASON = 'Cancelled at the customer’s request.';

/** A customer acting on their order through its link, with no account to name them by. */
export const ORDER_LINK_HOLDER: Actor = { userDetails: 'customer (order link)' };

/** Each lost race re-reads the order; only the makeline and the workers move it, a few steps at most. */
const ATTEMPTS = 5;

/** What the audit log keeps of an order's cancel: its number, and the status and version around it. */
function cancelChange(before: StoredOrder, after: StoredOrder) {
  return {
    before: { number: before.number, status: before.status, version: before.version },
    after: { number: after.number, status: after.status, version: after.version, reason: after.history.at(-1)?.reason, ...(after.payment?.refund && { refundCents: after.payment.refund.amountCents }) },
  };
}

/**
 * Cancels an order nobody has started on (received or pending), gives its stock back and records
 * who did it. A signed-in customer's order answers to that account alone; a guest's to whoever
 * holds its link. The makeline may be reserving at the same moment: whichever writes second sees
 * a new version. If the cancel wins, the makeline's write fails, it reads a cancelled order and
 * gives back what it took; if the makeline wins, the cancel re-reads a pending order and cancels
 * that. A customer cancels whatever version is current; an employee only the version they saw.
 * A paid order is written cancelled and refund_pending in one write, then refunded through the
 * provider (once, by refundKey); a payment being decided at that moment is waited for (409).
 */
export async function applyCancellation(services: Services, order: StoredOrder, cancellation: Cancellation, log: Logger): Promise<StoredOrder> {
  let current = order;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    // On every read: a claim between two reads gives a guest's order an owner the caller may not be.
    if (cancellation.by === 'customer' && !mayActOnOrder(current, cancellation.caller ?? null)) throw notYourOrder();
    await settleOrderStock(services, current); // repairs an interrupted settling of a final order
    if (!isCancellable(current.status)) throw notCancellable(current.status);
    if (cancellation.by === 'employee' && changeVersion(current) !== cancellation.expectedVersion) throw orderChangedFirst(current);
    // The charge may be landing right now: its outcome is written first, then the cancel refunds it.
    if (current.payment?.status === 'processing') throw paymentInProgress();

    const reason = cancellation.by === 'employee' ? cancellation.reason : CUSTOMER_CANCEL_REASON;
    const next = refundOwed(transition(current, 'cancelled', services.clock.now(), reason));
    const result = await services.orders.replace(next, current.version);
    if (result.outcome === 'replaced') {
      await settleOrderStock(services, next);
      const actor = cancellation.by === 'employee' ? cancellation.employee : (cancellation.caller ?? ORDER_LINK_HOLDER);
      await audit(services, actor, 'order.cancel', next.orderId, cancelChange(current, next), next.number);
      return next.payment?.status === 'refund_pending' ? refundOrder(services, next, actor, log) : next;
    }
    const fresh = await services.orders.get(current.orderId);
    if (!fresh) throw orderNotFound(current.orderId);
    current = fresh;
  }
  throw orderKeptChanging(order.orderId, 'cancelled');
}
