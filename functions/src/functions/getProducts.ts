import type { RouteHandler } from '../http/types.js';

export const getProducts: RouteHandler<'getProducts'> = async (request, { products }) => ({ status: 200, body: await products.list(request.query) });
