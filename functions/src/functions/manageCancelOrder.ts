import { cancelOrder } from '../app/cancelOrder.js';
import { orderNotFound } from '../domain/errors.js';
import { publicOrder } from '../domain/order.js';
import { employeeCancelBody, idParams } from '../domain/schemas.js';
import { parseBody, parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

/** An employee cancels an order that has not started, with a reason the customer reads on the order's page. */
export const manageCancelOrder: EmployeeHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  const { reason, version } = parseBody(request, employeeCancelBody);
  const order = await services.orders.get(id);
  if (!order) throw orderNotFound(id);
  const cancelled = await cancelOrder(services, order, { by: 'employee', employee: request.principal, reason, expectedVersion: version });
  return { status: 200, body: publicOrder(cancelled) };
};
