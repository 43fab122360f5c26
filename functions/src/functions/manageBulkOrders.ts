import { actOnOrders } from '../app/bulkOrders.js';
import type { RouteHandler } from '../http/types.js';

/** An employee starts, completes or cancels many orders at once; each order's outcome comes back. */
export const manageBulkOrders: RouteHandler<'manageBulkOrders'> = async (request, services, log) => ({
  status: 200,
  body: { results: await actOnOrders(services, request.principal, request.body, log) },
});
