import { payOrder as pay } from '../app/payments.js';
import { paymentDeclined } from '../domain/errors.js';
import { linkedOrder } from '../domain/order.js';
import { PRINCIPAL_HEADER, readPrincipal } from '../http/principal.js';
import type { RouteHandler } from '../http/types.js';

/** The customer pays for their order from its page; a decline is 402 with the reason, the order keeping it. */
export const payOrder: RouteHandler<'payOrder'> = async (request, services, log) => {
  const caller = readPrincipal(request.headers.get(PRINCIPAL_HEADER));
  const { order, clientSecret } = await pay(services, request.params.id, request.body.card, caller, log);
  if (order.payment?.status === 'failed') throw paymentDeclined(order.payment.failure ?? 'The payment was declined.');
  return { status: 200, body: { ...linkedOrder(order), ...(clientSecret && { clientSecret }) } };
};
