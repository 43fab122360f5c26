import { actOnOrders } from '../app/bulkOrders.js';
import { bulkOrdersBody } from '../domain/schemas.js';
import { parseBody } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

/** An employee starts, completes or cancels many orders at once; each order's outcome comes back. */
export const manageBulkOrders: EmployeeHandler = async (request, services, log) => {
  const input = parseBody(request, bulkOrdersBody);
  return { status: 200, body: { results: await actOnOrders(services, request.principal, input, log) } };
};
