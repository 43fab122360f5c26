import { receivePaymentEvent } from '../app/paymentEvents.js';
import type { RouteHandler } from '../http/types.js';

/** The body is Stripe's event as it signed it: the bytes go to the signature check untouched. */
export const stripeWebhook: RouteHandler<'stripeWebhook'> = async (request, services, log) => {
  const effect = await receivePaymentEvent(services, request.bytes ?? Buffer.alloc(0), request.headers.get('stripe-signature'), log);
  return { status: 200, body: { received: true, effect } };
};
