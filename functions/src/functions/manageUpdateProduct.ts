import { updateProduct } from '../app/products.js';
import type { RouteHandler } from '../http/types.js';

export const manageUpdateProduct: RouteHandler<'manageUpdateProduct'> = async (request, services) => {
  const { version, ...draft } = request.body;
  return { status: 200, body: await updateProduct(services, request.principal, request.params.id, version, draft) };
};
