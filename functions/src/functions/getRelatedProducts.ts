import { productsRelatedTo } from '../app/relatedProducts.js';
import type { RouteHandler } from '../http/types.js';

export const getRelatedProducts: RouteHandler<'getRelatedProducts'> = async (request, services) => ({
  status: 200,
  body: { items: await productsRelatedTo(services, request.params.id) },
});
