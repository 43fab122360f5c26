import type { HttpHandler } from '../http/types.js';

export const getTags: HttpHandler = async (_request, { products }) => ({ status: 200, body: { items: await products.tags() } });
