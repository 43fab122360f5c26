import { placeOrder } from '../app/placeOrder.js';
import { linkedOrder } from '../domain/order.js';
import { idempotencyKeySchema } from '../domain/schemas.js';
import { invalidIdempotencyKey } from '../domain/errors.js';
import { ownerOf } from '../domain/owner.js';
import { zodDetails } from '../http/parse.js';
import { PRINCIPAL_HEADER, readPrincipal } from '../http/principal.js';
import type { RouteHandler, RouteRequest } from '../http/types.js';

function idempotencyKey(request: RouteRequest<'postOrder'>): string | undefined {
  const header = request.headers.get('idempotency-key');
  if (header === null) return undefined;
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) {
    throw invalidIdempotencyKey(zodDetails(parsed.error).map((detail) => ({ ...detail, path: 'Idempotency-Key' })));
  }
  return parsed.data;
}

export const postOrder: RouteHandler<'postOrder'> = async (request, services, log) => {
  const key = idempotencyKey(request);
  // Anyone may order; a signed-in customer's order is theirs (Static Web Apps sends who they are).
  const owner = ownerOf(readPrincipal(request.headers.get(PRINCIPAL_HEADER)));
  const { order, claimToken, clientSecret } = await placeOrder(services, request.body, key, log, owner);
  const statusUrl = `/api/orders/${order.orderId}`;
  return {
    status: 202,
    headers: { location: statusUrl },
    body: { ...linkedOrder(order), statusUrl, ...(claimToken && { claimToken }), ...(clientSecret && { clientSecret }) },
  };
};
