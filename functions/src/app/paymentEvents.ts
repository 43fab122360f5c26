import { noPaymentWebhook, orderKeptChanging, StoreError } from '../domain/errors.js';
import type { StoredOrder } from '../domain/order.js';
import { paymentKey, refundKey, type ChargeOutcome } from '../domain/payment.js';
import { confirmationStarted, paidButSoldOut } from '../domain/paymentSteps.js';
import type { Actor, Logger, Services } from '../ports.js';
import { recordChargeOutcome, refundOrder, retakeHold } from './payments.js';

/** Who the audit log names for what a provider's event decided (a refund it leads to, for one). */
export const PAYMENT_PROVIDER_EVENT: Actor = { userDetails: 'payment provider webhook' };

export type PaymentEventEffect = 'recorded' | 'unchanged' | 'refunded' | 'ignored';

/** Each lost race re-reads the order; only a few writers (the customer, the sweeper, an employee) ever race on one. */
const ATTEMPTS = 5;

/**
 * A provider's webhook event (Stripe's): verified by its signature before anything is read
 * (400 invalid_signature otherwise), then what it says the provider decided for the order's
 * current attempt is written by recordChargeOutcome, which writes only an attempt still undecided
 * (or a payment over a decline: with Stripe the customer may try another card on the same
 * attempt), so an event sent twice, late or out of order has no second effect. A payment of an
 * earlier attempt is refunded. An event about no order of this store answers 2xx all the same, so
 * the provider stops sending it.
 */
export async function receivePaymentEvent(services: Services, payload: Uint8Array, signature: string | null, log: Logger): Promise<PaymentEventEffect> {
  const { payments } = services;
  if (!payments.readEvent) throw noPaymentWebhook(payments.name);
  const event = await payments.readEvent(payload, signature);
  if (event.kind === 'ignored') return 'ignored';
  for (let tries = 0; tries < ATTEMPTS; tries++) {
    const order = await services.orders.get(event.orderId);
    if (!order?.payment) {
      log.warn(`payment event ${event.eventId} (${event.type}) names order ${event.orderId}, which this store does not have`);
      return 'ignored';
    }
    if (event.idempotencyKey !== paymentKey(order.orderId, order.payment.attempts)) {
      if (event.outcome.outcome !== 'paid') return 'unchanged';
      await refundStrayPayment(services, order, event.idempotencyKey, event.outcome.reference, log);
      return 'refunded';
    }
    const { outcome } = event;
    const after = outcome.outcome === 'paid' && order.holdReleased && order.status === 'awaiting_payment'
      ? await payAfterHoldEnded(services, order, outcome, log)
      : await recordChargeOutcome(services, order, outcome, log, PAYMENT_PROVIDER_EVENT);
    if (after === 'stale') continue;
    return after.version === order.version ? 'unchanged' : 'recorded';
  }
  throw orderKeptChanging(event.orderId, 'paid');
}

/**
 * Paid in the browser after the hold ended and its stock went back (the demo provider takes it
 * again before charging; Stripe's customer pays on Stripe's page): the stock is taken again under
 * a key of its own, then the payment recorded. Gone to other orders meanwhile: the order is
 * rejected and the money owed back in one write, then refunded.
 */
async function payAfterHoldEnded(services: Services, order: StoredOrder, paid: Extract<ChargeOutcome, { outcome: 'paid' }>, log: Logger): Promise<StoredOrder | 'stale'> {
  const now = services.clock.now();
  let holdKey: string;
  try {
    holdKey = await retakeHold(services, order);
  } catch (error) {
    if (!(error instanceof StoreError && error.code === 'insufficient_stock')) throw error;
    const rejected = paidButSoldOut(order, paid, now);
    if ((await services.orders.replace(rejected, order.version)).outcome !== 'replaced') return 'stale';
    return refundOrder(services, rejected, PAYMENT_PROVIDER_EVENT, log);
  }
  const held = confirmationStarted(order, now, holdKey);
  if ((await services.orders.replace(held, order.version)).outcome !== 'replaced') {
    await services.products.releaseStock(holdKey, order.items.map((item) => item.productId));
    return 'stale';
  }
  return recordChargeOutcome(services, held, paid, log, PAYMENT_PROVIDER_EVENT);
}

/**
 * Money taken for an attempt the order moved past (paid in a page left open on an earlier attempt,
 * after the customer started another): the order records only its current attempt, so this
 * payment goes back, once (a refund key of its own), and the log says so. A failure is a 503:
 * the provider sends the event again.
 */
async function refundStrayPayment(services: Services, order: StoredOrder, attemptKey: string, reference: string, log: Logger): Promise<void> {
  const idempotencyKey = `${refundKey(order.orderId)}:${attemptKey}`;
  const refund = await services.payments.refund({ idempotencyKey, orderId: order.orderId, reference, amountCents: order.totalCents });
  log.warn(`order ${order.orderId}: gave back ${reference} (refund ${refund.reference}), paid for attempt ${attemptKey}, which the order had moved past`);
}
