import { notAnEmployeeMove, orderChangedFirst, orderNotFound } from '../domain/errors.js';
import { EMPLOYEE_TRANSITIONS, type OrderStatus, type StoredOrder, transition } from '../domain/order.js';
import type { Principal, Services } from '../ports.js';
import { audit } from './audit.js';
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

/** An employee moves an order: the same move, recorded in the audit log. */
export async function moveOrderAsEmployee(
  services: Services,
  employee: Principal,
  orderId: string,
  to: OrderStatus,
  expectedVersion: number,
): Promise<StoredOrder> {
  const moved = await moveOrder(services, orderId, to, expectedVersion);
  await audit(services, employee, 'order.transition', orderId, {
    before: { number: moved.number, status: moved.history.at(-2)?.status, version: expectedVersion },
    after: { number: moved.number, status: moved.status, version: moved.version },
  }, moved.number);
  return moved;
}
