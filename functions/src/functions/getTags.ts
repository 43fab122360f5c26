import type { RouteHandler } from '../http/types.js';

export const getTags: RouteHandler<'getTags'> = async (_request, { products }) => ({ status: 200, body: { items: await products.tags() } });
