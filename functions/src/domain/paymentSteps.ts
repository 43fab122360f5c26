import { transition, type Order } from './order.js';
import type { ChargeOutcome, Payment, PaymentMethod, PaymentProviderName } from './payment.js';

/**
 * What each step of paying, and of giving the money back, writes on an order. Pure: the use cases
 * in app/payments.ts write these with a compare-and-set on the version they read.
 */

export const INTERRUPTED = 'The payment was interrupted before the card was charged; nothing was taken. Please try again.';

/** The order written again: one version on, stamped now. */
const rewritten = <T extends Order>(order: T, now: Date, changes: Partial<T>): T => ({
  ...order,
  ...changes,
  version: order.version + 1,
  updatedAt: now.toISOString(),
});

/** The same object without the named keys (a store writes no field for them, not a null). */
function without<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...value };
  for (const key of keys) delete copy[key];
  return copy;
}

/**
 * A new order as payments begin it: awaiting payment, holding its stock until `holdExpiresAt`. With
 * a card in the same call its first attempt starts in the same write (one write fewer on the path).
 */
export function awaitingPayment<T extends Order>(order: T, provider: PaymentProviderName, holdExpiresAt: string, firstAttempt?: { method?: PaymentMethod }): T {
  const at = order.createdAt;
  const payment: Payment = firstAttempt
    ? { status: 'processing', provider, attempts: 1, ...(firstAttempt.method && { method: firstAttempt.method }) }
    : { status: 'unpaid', provider, attempts: 0 };
  return { ...order, status: 'awaiting_payment', history: [{ status: 'awaiting_payment', at }], payment, holdExpiresAt };
}

/** Short of stock at placement: rejected, and no attempt under way any more (none was sent). */
export function rejectedUnpaid<T extends Order>(order: T, now: Date, reason: string): T {
  const rejected = transition(order, 'rejected', now, reason);
  return order.payment ? { ...rejected, payment: { status: 'unpaid', provider: order.payment.provider, attempts: 0 } } : rejected;
}

/** The next attempt begins: written before the provider is called, so a crash leaves it for the sweeper to finish. */
export function attemptStarted<T extends Order & { stockHold?: string }>(order: T, provider: PaymentProviderName, now: Date, method?: PaymentMethod, holdKey?: string): T {
  const attempts = (order.payment?.attempts ?? 0) + 1;
  const payment: Payment = { status: 'processing', provider, attempts, ...(method && { method }) };
  const base = holdKey ? ({ ...without(order, 'holdReleased'), stockHold: holdKey } as T) : order;
  return rewritten(base, now, { payment } as Partial<T>);
}

/** The customer answered the second step: the same attempt is being decided again. */
export function confirmationStarted<T extends Order & { stockHold?: string }>(order: T, now: Date, holdKey?: string): T {
  const base = holdKey ? ({ ...without(order, 'holdReleased'), stockHold: holdKey } as T) : order;
  return rewritten(base, now, { payment: { ...order.payment!, status: 'processing' } } as Partial<T>);
}

/**
 * What the provider decided, written on the order: paid goes to the makeline (received), declined
 * keeps it awaiting payment with the reason, requires_action waits for the customer. An order that
 * was cancelled meanwhile only records the payment (its refund follows, refundOwed).
 */
export function outcomeApplied<T extends Order>(order: T, outcome: ChargeOutcome, now: Date): T {
  const payment = without(order.payment!, 'failure');
  const method = outcome.method ?? payment.method;
  const kept = method ? { ...payment, method } : payment;
  if (outcome.outcome === 'declined') return rewritten(order, now, { payment: { ...kept, status: 'failed', failure: outcome.message } } as Partial<T>);
  if (outcome.outcome === 'requires_action') return rewritten(order, now, { payment: { ...kept, status: 'requires_action', reference: outcome.reference } } as Partial<T>);
  const paid: Payment = { ...kept, status: 'paid', reference: outcome.reference, paidAt: now.toISOString() };
  if (order.status !== 'awaiting_payment') return refundOwed(rewritten(order, now, { payment: paid } as Partial<T>));
  return { ...without(transition(order, 'received', now), 'holdExpiresAt', 'holdReleased'), payment: paid } as T;
}

/** The provider never heard of the attempt: nothing was charged, and the customer may try again. */
export const attemptInterrupted = <T extends Order>(order: T, now: Date): T =>
  rewritten(order, now, { payment: { ...order.payment!, status: 'failed', failure: INTERRUPTED } } as Partial<T>);

/** The sweeper gives an unpaid order's stock back (then releases it). */
export const holdGivenBack = <T extends Order>(order: T, now: Date): T => rewritten(order, now, { holdReleased: true } as Partial<T>);

/** A paid order becoming final without being delivered owes its money back: in the same write, refund_pending. */
export function refundOwed<T extends Order>(order: T): T {
  if (order.payment?.status !== 'paid') return order;
  return { ...order, payment: { ...order.payment, status: 'refund_pending', refund: { amountCents: order.totalCents } } };
}

/** The provider gave the money back. */
export const refunded = <T extends Order>(order: T, now: Date): T =>
  rewritten(order, now, {
    payment: { ...order.payment!, status: 'refunded', refund: { amountCents: order.payment!.refund?.amountCents ?? order.totalCents, at: now.toISOString() } },
  } as Partial<T>);
