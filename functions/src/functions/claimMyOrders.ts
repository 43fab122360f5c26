import { claimOrders } from '../app/customerOrders.js';
import { noAccount, ownerOf } from '../domain/owner.js';
import type { RouteHandler } from '../http/types.js';

/** POST /api/me/orders/claim: guest orders from this browser become the signed-in customer's, each decided alone. */
export const claimMyOrders: RouteHandler<'claimMyOrders'> = async (request, services) => {
  const owner = ownerOf(request.principal);
  if (!owner) throw noAccount();
  return { status: 200, body: { results: await claimOrders(services, owner, request.principal, request.body.orders) } };
};
