import { notAnEmployeeMove, orderChangedFirst, orderKeptChanging, orderNotFound } from '../domain/errors.js';
import { EMPLOYEE_TRANSITIONS, type OrderStatus, type StoredOrder, transition } from '../domain/order.js';

/** Writes racing one employee's move: the email sender, now and then the sweeper. */
const ATTEMPTS = 5;
import type { Principal, Services } from '../ports.js';
import { changeVersion } from '../domain/notices.js';
import { audit } from './audit.js';
import { settleOrderStock } from './stock.js';

/** An employee (or the virtual worker) moves an order one step, guarded by the version they saw. */
export async function moveOrder(
  services: Services,
  orderId: string,
  to: OrderStatus,
  expectedVersion: number,
): Promise<StoredOrder> {
  if (!EMPLOYEE_TRANSITIONS.includes(to)) throw notAnEmployeeMove(to);
  // Each lost race re-reads: an email recorded meanwhile leaves the order as the employee saw it.
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const order = await services.orders.get(orderId);
    if (!order) throw orderNotFound(orderId);
    await settleOrderStock(services, order); // repairs an interrupted settling of a final order
    if (changeVersion(order) !== expectedVersion) throw orderChangedFirst(order);

    const next = transition(order, to, services.clock.now());
    const result = await services.orders.replace(next, order.version);
    if (result.outcome === 'missing') throw orderNotFound(orderId);
    if (result.outcome === 'replaced') {
      await settleOrderStock(services, next);
      return next;
    }
  }
  throw orderKeptChanging(orderId, 'moved');
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
