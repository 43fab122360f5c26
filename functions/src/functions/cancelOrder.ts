import { applyCancellation } from '../app/cancellation.js';
import { findOrder } from '../app/findOrder.js';
import { linkedOrder } from '../domain/order.js';
import { PRINCIPAL_HEADER, readPrincipal } from '../http/principal.js';
import type { RouteHandler } from '../http/types.js';

/** The customer cancels their order from its page; the route takes no body. */
export const cancelOrder: RouteHandler<'cancelOrder'> = async (request, services, log) => {
  const caller = readPrincipal(request.headers.get(PRINCIPAL_HEADER));
  const cancelled = await applyCancellation(services, await findOrder(services, request.params.id), { by: 'customer', caller }, log);
  return { status: 200, body: linkedOrder(cancelled) };
};
