import { checkoutDefaults } from '../app/customerOrders.js';
import { noAccount, ownerOf } from '../domain/owner.js';
import type { RouteHandler } from '../http/types.js';

/** GET /api/me/checkout-defaults: what the checkout fills in for a signed-in customer. */
export const getCheckoutDefaults: RouteHandler<'getCheckoutDefaults'> = async (request, services) => {
  const owner = ownerOf(request.principal);
  if (!owner) throw noAccount();
  return { status: 200, body: await checkoutDefaults(services, owner) };
};
