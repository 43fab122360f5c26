import { checkoutDefaults } from '../app/customerOrders.js';
import { noAccount, ownerOf } from '../domain/owner.js';
import type { CustomerHandler } from '../http/types.js';

/** GET /api/me/checkout-defaults: what the checkout fills in for a signed-in customer. */
export const getCheckoutDefaults: CustomerHandler = async (request, services) => {
  const owner = ownerOf(request.principal);
  if (!owner) throw noAccount();
  return { status: 200, body: await checkoutDefaults(services, owner) };
};
