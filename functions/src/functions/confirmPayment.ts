import { confirmPayment as confirm } from '../app/payments.js';
import { paymentDeclined } from '../domain/errors.js';
import { linkedOrder } from '../domain/order.js';
import { PRINCIPAL_HEADER, readPrincipal } from '../http/principal.js';
import type { RouteHandler } from '../http/types.js';

/** The customer's answer to the demo provider's second step: approved pays, refused leaves it unpaid (402). */
export const confirmPayment: RouteHandler<'confirmPayment'> = async (request, services, log) => {
  const caller = readPrincipal(request.headers.get(PRINCIPAL_HEADER));
  const order = await confirm(services, request.params.id, request.body.approve, caller, log);
  if (order.payment?.status === 'failed') throw paymentDeclined(order.payment.failure ?? 'The payment was declined.');
  return { status: 200, body: linkedOrder(order) };
};
