import { applyCancellation } from '../app/cancellation.js';
import { findOrder } from '../app/findOrder.js';
import { publicOrder } from '../domain/order.js';
import type { RouteHandler } from '../http/types.js';

/** An employee cancels an order that has not started, with a reason the customer reads on the order's page. */
export const manageCancelOrder: RouteHandler<'manageCancelOrder'> = async (request, services, log) => {
  const { reason, version } = request.body;
  const order = await findOrder(services, request.params.id);
  const cancelled = await applyCancellation(services, order, { by: 'employee', employee: request.principal, reason, expectedVersion: version }, log);
  return { status: 200, body: publicOrder(cancelled) };
};
