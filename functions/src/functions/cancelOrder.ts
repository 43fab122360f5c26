import { audit, cancelChange, ORDER_LINK_HOLDER } from '../app/audit.js';
import { cancelOrder as cancel } from '../app/cancelOrder.js';
import { customerOrder } from '../app/customerOrder.js';
import { publicOrder } from '../domain/order.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { HttpHandler } from '../http/types.js';

/** The customer cancels their order from its page; the route takes no body. */
export const cancelOrder: HttpHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  const order = await customerOrder(services, id);
  const cancelled = await cancel(services, order, { by: 'customer' });
  await audit(services, ORDER_LINK_HOLDER, 'order.cancel', id, cancelChange(order, cancelled));
  return { status: 200, body: publicOrder(cancelled) };
};
