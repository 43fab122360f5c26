import { manageOrdersQuery } from '../domain/schemas.js';
import { parseQuery } from '../http/parse.js';
import type { HttpHandler } from '../http/types.js';

export const manageListOrders: HttpHandler = async (request, { orders }) => {
  return { status: 200, body: await orders.list(parseQuery(request, manageOrdersQuery)) };
};
