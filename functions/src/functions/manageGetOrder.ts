import { findOrder } from '../app/findOrder.js';
import { publicOrder } from '../domain/order.js';
import type { RouteHandler } from '../http/types.js';

/** Any order, for employees: not limited by who may act on it as its customer (mayActOnOrder). */
export const manageGetOrder: RouteHandler<'manageGetOrder'> = async (request, services) => ({
  status: 200,
  body: publicOrder(await findOrder(services, request.params.id)),
});
