import type { RouteHandler } from '../http/types.js';

export const manageListOrders: RouteHandler<'manageListOrders'> = async (request, { orders }) => ({ status: 200, body: await orders.list(request.query) });
