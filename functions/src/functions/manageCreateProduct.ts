import { createProduct } from '../app/products.js';
import type { RouteHandler } from '../http/types.js';

export const manageCreateProduct: RouteHandler<'manageCreateProduct'> = async (request, services) => {
  const product = await createProduct(services, request.principal, request.body);
  return { status: 201, headers: { location: `/api/products/${product.id}` }, body: product };
};
