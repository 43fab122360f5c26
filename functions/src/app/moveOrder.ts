import { StoreError } from '../domain/errors.js';
import { EMPLOYEE_TRANSITIONS, orderNotFound, type OrderStatus, type StoredOrder, transition } from '../domain/order.js';
import type { Services } from '../composition.js';
import { settleOrderStock } from './stock.js';

function stale(current: StoredOrder): StoreError {
  return new StoreError('conflict', 'stale_version', 'Someone else changed this order first; reload it and try again.', [
    { path: 'version', message: `the order is now at version ${current.version}`, current: current.version, status: current.status },
  ]);
}

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
  if (!EMPLOYEE_TRANSITIONS.includes(to)) {
    const how = to === 'cancelled' ? ' Cancel it with POST /api/manage/orders/{id}/cancel, giving the customer a reason.' : '';
    throw new StoreError('conflict', 'illegal_transition', `Employees cannot move an order to ${to}.${how}`);
  }
  if (order.version !== expectedVersion) throw stale(order);

  const next = transition(order, to, services.clock.now());
  const result = await services.orders.replace(next, expectedVersion);
  if (result.outcome === 'missing') throw orderNotFound(orderId);
  if (result.outcome === 'stale') throw stale((await services.orders.get(orderId)) ?? order);
  await settleOrderStock(services, next);
  return next;
}
