import { notAnEmployeeMove, orderChangedFirst, orderNotFound } from '../domain/errors.js';
import { EMPLOYEE_TRANSITIONS, type OrderStatus, type StoredOrder, transition } from '../domain/order.js';
import type { Services } from '../ports.js';
import { settleOrderStock } from './stock.js';

/** An employee (or the virtual worker) moves an order one step, guarded by the version they saw. */
export async function moveOrder(
  services: Services,
  orderId: string,
  to: OrderStatus,
  expectedVersion: number,
): Promise<StoredOrder> {
  const order = await services.orders.get(orderId);
  if (!order) throw orderNotFound(orderId);
  await settleOrderStock(services, order); // repairs an interrupted settling of a final order
  if (!EMPLOYEE_TRANSITIONS.includes(to)) throw notAnEmployeeMove(to);
  if (order.version !== expectedVersion) throw orderChangedFirst(order);

  const next = transition(order, to, services.clock.now());
  const result = await services.orders.replace(next, expectedVersion);
  if (result.outcome === 'missing') throw orderNotFound(orderId);
  if (result.outcome === 'stale') throw orderChangedFirst((await services.orders.get(orderId)) ?? order);
  await settleOrderStock(services, next);
  return next;
}
