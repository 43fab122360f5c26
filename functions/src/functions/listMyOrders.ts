import { listOwnOrders } from '../app/customerOrders.js';
import { noAccount, ownerOf } from '../domain/owner.js';
import { pageQuery } from '../domain/schemas.js';
import { parseQuery } from '../http/parse.js';
import type { CustomerHandler } from '../http/types.js';

/** GET /api/me/orders: the signed-in customer's orders from any device, newest first. */
export const listMyOrders: CustomerHandler = async (request, services) => {
  const owner = ownerOf(request.principal);
  if (!owner) throw noAccount();
  return { status: 200, body: await listOwnOrders(services, owner, parseQuery(request, pageQuery)) };
};
