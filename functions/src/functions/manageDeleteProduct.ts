import { deleteProduct } from '../app/products.js';
import type { RouteHandler } from '../http/types.js';

export const manageDeleteProduct: RouteHandler<'manageDeleteProduct'> = async (request, services) => {
  await deleteProduct(services, request.principal, request.params.id);
  return { status: 204 };
};
