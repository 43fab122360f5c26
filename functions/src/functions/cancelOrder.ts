import { cancelOrder as cancel } from '../app/cancelOrder.js';
import { customerOrder } from '../app/customerOrder.js';
import { linkedOrder } from '../domain/order.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import { PRINCIPAL_HEADER, readPrincipal } from '../http/principal.js';
import type { HttpHandler } from '../http/types.js';

/** The customer cancels their order from its page; the route takes no body. */
export const cancelOrder: HttpHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  const caller = readPrincipal(request.headers.get(PRINCIPAL_HEADER));
  const cancelled = await cancel(services, await customerOrder(services, id), { by: 'customer', caller });
  return { status: 200, body: linkedOrder(cancelled) };
};
