import { orderNotFound, StoreError } from '../domain/errors.js';
import type { OrderStatus } from '../domain/order.js';
import type { BulkOrdersInput } from '../domain/schemas.js';
import type { Logger, Principal, Services } from '../ports.js';
import { applyCancellation } from './cancellation.js';
import { moveOrderAsEmployee } from './moveOrder.js';

/** What became of one order of a bulk action: moved, or refused with the reason an employee reads. */
export type BulkOutcome =
  | { orderId: string; number?: string | undefined; outcome: 'done'; status: OrderStatus; version: number }
  | { orderId: string; number?: string | undefined; outcome: 'refused'; code: string; message: string };

async function actOnOne(services: Services, employee: Principal, input: BulkOrdersInput, orderId: string, version: number, log: Logger) {
  if (input.to !== 'cancelled') return moveOrderAsEmployee(services, employee, orderId, input.to, version);
  const order = await services.orders.get(orderId);
  if (!order) throw orderNotFound(orderId);
  return applyCancellation(services, order, { by: 'employee', employee, reason: input.reason!, expectedVersion: version }, log);
}

/**
 * An employee moves or cancels many orders at once. Each is decided alone, exactly as its own
 * move or cancel would be (the same use case, guarded by the version the board showed, audited
 * the same way), so one order that changed meanwhile or cannot move is refused without holding
 * up the rest. One at a time: a bulk action is at most MAX_BULK_ORDERS orders, and the makeline
 * and the customers keep their share of the store.
 */
export async function actOnOrders(services: Services, employee: Principal, input: BulkOrdersInput, log: Logger): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = [];
  for (const { orderId, version } of input.orders) {
    try {
      const order = await actOnOne(services, employee, input, orderId, version, log);
      outcomes.push({ orderId, number: order.number, outcome: 'done', status: order.status, version: order.version });
    } catch (error) {
      if (!(error instanceof StoreError)) {
        // A failure of the store itself: the orders before this one are done, and the employee must know which.
        log.error(`bulk ${input.to}: order ${orderId} failed`, error);
        outcomes.push({ orderId, outcome: 'refused', code: 'failed', message: 'The store could not be reached for this order; try it again.' });
        continue;
      }
      outcomes.push({ orderId, outcome: 'refused', code: error.code, message: error.message });
    }
  }
  return outcomes;
}
