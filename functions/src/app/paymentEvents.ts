import { noPaymentWebhook } from '../domain/errors.js';
import { paymentKey } from '../domain/payment.js';
import type { Actor, Logger, Services } from '../ports.js';
import { recordChargeOutcome } from './payments.js';

/** Who the audit log names for what a provider's event decided (a refund it leads to, for one). */
export const PAYMENT_PROVIDER_EVENT: Actor = { userDetails: 'payment provider webhook' };

export type PaymentEventEffect = 'recorded' | 'unchanged' | 'ignored';

/**
 * A provider's webhook event (Stripe's): verified by its signature before anything is read
 * (400 invalid_signature otherwise), then what it says the provider decided for the order's
 * current attempt is written by recordChargeOutcome, which writes only an attempt still undecided
 * (or a payment over a decline: with Stripe the customer may try another card on the same
 * attempt), so an event sent twice, late or out of order has no second effect. An event about no
 * order of this store answers 2xx all the same, so the provider stops sending it.
 */
export async function receivePaymentEvent(services: Services, payload: Uint8Array, signature: string | null, log: Logger): Promise<PaymentEventEffect> {
  const { payments } = services;
  if (!payments.readEvent) throw noPaymentWebhook(payments.name);
  const event = await payments.readEvent(payload, signature);
  if (event.kind === 'ignored') return 'ignored';
  const order = await services.orders.get(event.orderId);
  if (!order?.payment) {
    log.warn(`payment event ${event.eventId} (${event.type}) names order ${event.orderId}, which this store does not have`);
    return 'ignored';
  }
  if (event.idempotencyKey !== paymentKey(order.orderId, order.payment.attempts)) {
    // A payment of an attempt the customer started again after: it took money the order never
    // records, so it is logged for someone to refund in Stripe's Dashboard.
    if (event.outcome.outcome === 'paid') {
      log.warn(`order ${order.orderId}: Stripe took a payment (${event.outcome.reference}) for attempt ${event.idempotencyKey}, which the order moved past; refund it if the order is paid otherwise`);
    }
    return 'unchanged';
  }
  const after = await recordChargeOutcome(services, order, event.outcome, log, PAYMENT_PROVIDER_EVENT);
  return after.version === order.version ? 'unchanged' : 'recorded';
}
