import { moveOrder } from '../app/moveOrder.js';
import { StoreError } from '../domain/errors.js';
import type { OrderStatus } from '../domain/order.js';
import { actionsThisTick } from '../domain/pacing.js';
import type { Services } from '../ports.js';
import type { TimerHandler } from '../triggers.js';

async function advance(services: Services, from: OrderStatus, to: OrderStatus, count: number): Promise<number> {
  if (count === 0) return 0;
  const { items } = await services.orders.list({ status: from, limit: count, oldestFirst: true });
  let moved = 0;
  for (const order of items) {
    try {
      await moveOrder(services, order.orderId, to, order.version);
      moved++;
    } catch (error) {
      if (!(error instanceof StoreError)) throw error; // an employee got there first
    }
  }
  return moved;
}

/** Works the board like an employee: finishes orders in progress, then starts pending ones. */
export const virtualWorker: TimerHandler = async (services, log, tick) => {
  const count = actionsThisTick(services.config.virtualWorkerOrdersPerHour, tick.seconds);
  const completed = await advance(services, 'processing', 'completed', count);
  const started = await advance(services, 'pending', 'processing', count);
  if (completed + started > 0) log.info(`virtualWorker: completed ${completed}, started ${started}`);
};
