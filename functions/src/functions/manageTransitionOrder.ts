import { moveOrderAsEmployee } from '../app/moveOrder.js';
import { publicOrder } from '../domain/order.js';
import type { RouteHandler } from '../http/types.js';

export const manageTransitionOrder: RouteHandler<'manageTransitionOrder'> = async (request, services) => {
  const { to, version } = request.body;
  return { status: 200, body: publicOrder(await moveOrderAsEmployee(services, request.principal, request.params.id, to, version)) };
};
