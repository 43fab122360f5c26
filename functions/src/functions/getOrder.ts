import { findOrder } from '../app/findOrder.js';
import { linkedOrder } from '../domain/order.js';
import type { RouteHandler } from '../http/types.js';

/** The customer's tracking view; the pipeline adds the ETag and answers If-None-Match. */
export const getOrder: RouteHandler<'getOrder'> = async (request, services) => ({
  status: 200,
  body: linkedOrder(await findOrder(services, request.params.id)),
});
