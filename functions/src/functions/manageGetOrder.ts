import { orderNotFound } from '../domain/errors.js';
import { publicOrder } from '../domain/order.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { HttpHandler } from '../http/types.js';

/** Any order, for employees: not limited by who may see it as its customer (app/customerOrder.ts). */
export const manageGetOrder: HttpHandler = async (request, { orders }) => {
  const { id } = parseParams(request, idParams);
  const order = await orders.get(id);
  if (!order) throw orderNotFound(id);
  return { status: 200, body: publicOrder(order) };
};
