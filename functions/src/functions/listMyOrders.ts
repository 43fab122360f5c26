import { listOwnOrders } from '../app/customerOrders.js';
import { noAccount, ownerOf } from '../domain/owner.js';
import type { RouteHandler } from '../http/types.js';

/** GET /api/me/orders: the signed-in customer's orders from any device, newest first. */
export const listMyOrders: RouteHandler<'listMyOrders'> = async (request, services) => {
  const owner = ownerOf(request.principal);
  if (!owner) throw noAccount();
  return { status: 200, body: await listOwnOrders(services, owner, request.query) };
};
