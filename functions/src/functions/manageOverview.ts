import { checkHealth } from '../app/health.js';
import { LOW_STOCK_LIMIT } from '../app/restock.js';
import type { RouteHandler } from '../http/types.js';

const HOUR_MS = 60 * 60 * 1000;
/** Stuck orders are counted up to this many: enough to tell "a few" from "something is wrong". */
const STUCK_COUNT_LIMIT = 100;

/** The last hour minute by minute, oldest first, minutes without orders as zero. */
function lastHour(now: Date, counted: Array<{ minute: string; count: number }>) {
  const byMinute = new Map(counted.map((entry) => [entry.minute, entry.count]));
  const start = Math.floor((now.getTime() - HOUR_MS) / 60_000) * 60_000;
  return Array.from({ length: 60 }, (_, index) => {
    const minute = new Date(start + (index + 1) * 60_000).toISOString().slice(0, 16);
    return { minute, count: byMinute.get(minute) ?? 0 };
  });
}

/** Unpaid orders whose stock went back are counted up to this many, like stuck ones. */
const EXPIRED_HOLDS_LIMIT = 100;

/** The employee's dashboard in one call: pace, board counts, unpaid orders, queue, health and what runs low. */
export const manageOverview: RouteHandler<'manageOverview'> = async (_request, services) => {
  const now = services.clock.now();
  const stuckSince = new Date(now.getTime() - services.config.outbox.resendUntilMs);
  const { threshold, restockQuantity } = services.config.lowStock;
  const [perMinute, ordersByStatus, stuck, expiredHolds, queue, health, low] = await Promise.all([
    services.orders.countPerMinute(new Date(now.getTime() - HOUR_MS)),
    services.orders.countByStatus(),
    // Received for longer than the outbox re-sends them: a human replays or re-sends each.
    services.orders.countReceived({ after: new Date(0), before: stuckSince }, STUCK_COUNT_LIMIT),
    services.orders.countExpiredHolds(EXPIRED_HOLDS_LIMIT),
    services.queue.depth().catch(() => null),
    checkHealth(services),
    services.products.lowStock(threshold, LOW_STOCK_LIMIT),
  ]);
  return {
    status: 200,
    headers: { 'cache-control': 'no-store' },
    body: {
      ordersPerMinute: lastHour(now, perMinute),
      ordersByStatus,
      stuckOrders: { count: stuck, limit: STUCK_COUNT_LIMIT, receivedBefore: stuckSince.toISOString() },
      payments: { unpaid: ordersByStatus.awaiting_payment, expiredHolds: { count: expiredHolds, limit: EXPIRED_HOLDS_LIMIT } },
      queue,
      health: { status: health.status, checks: health.checks },
      lowStock: {
        threshold,
        restockQuantity,
        limit: LOW_STOCK_LIMIT,
        products: low.map(({ id, name, stock }) => ({ id, name, stock })),
      },
    },
  };
};
