import { claimOrders } from '../app/customerOrders.js';
import { noAccount, ownerOf } from '../domain/owner.js';
import { claimOrdersBody } from '../domain/schemas.js';
import { parseBody } from '../http/parse.js';
import type { CustomerHandler } from '../http/types.js';

/** POST /api/me/orders/claim: guest orders from this browser become the signed-in customer's, each decided alone. */
export const claimMyOrders: CustomerHandler = async (request, services) => {
  const owner = ownerOf(request.principal);
  if (!owner) throw noAccount();
  const { orders } = parseBody(request, claimOrdersBody);
  return { status: 200, body: { results: await claimOrders(services, owner, request.principal, orders) } };
};
