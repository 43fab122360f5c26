import { manageOrdersQuery } from '../domain/schemas.js';
import { parseQuery } from '../http/parse.js';
import { requireAdmin } from '../http/principal.js';
import type { HttpHandler } from '../http/types.js';

export const manageListOrders: HttpHandler = async (request, { orders }) => {
  requireAdmin(request);
  return { status: 200, body: await orders.list(parseQuery(request, manageOrdersQuery)) };
};
