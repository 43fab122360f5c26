import { resendOrder } from '../app/resendOrder.js';
import { publicOrder } from '../domain/order.js';
import type { RouteHandler } from '../http/types.js';

export const manageResendOrder: RouteHandler<'manageResendOrder'> = async (request, services) => ({
  status: 202,
  body: publicOrder(await resendOrder(services, request.principal, request.params.id)),
});
