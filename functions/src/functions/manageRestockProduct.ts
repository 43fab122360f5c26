import { restockProduct } from '../app/restock.js';
import type { RouteHandler } from '../http/types.js';

/** Adds stock to one product: no version needed, as an increment cannot overwrite anyone's change. */
export const manageRestockProduct: RouteHandler<'manageRestockProduct'> = async (request, services) => ({
  status: 200,
  body: await restockProduct(services, request.principal, request.params.id, request.body.quantity),
});
