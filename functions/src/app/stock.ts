import { isFinal, releasesStock, type Order } from '../domain/order.js';
import type { Logger, Services } from '../ports.js';

/**
 * Settles what a final order holds: a rejected or cancelled order gives its stock back, a
 * completed one keeps it; either way its holds are forgotten, so a product's record stays small
 * however many orders it has had. Idempotent, so any step may repeat it; does nothing while the
 * order is still live.
 */
export async function settleOrderStock(services: Services, order: Order): Promise<void> {
  if (!isFinal(order.status)) return;
  const productIds = order.items.map((item) => item.productId);
  if (releasesStock(order.status)) await services.products.releaseStock(order.orderId, productIds);
  else await services.products.forgetHolds(order.orderId, productIds);
}

/**
 * Orders read per run: a sweep costs the same however many orders are live, and a store with
 * thousands of pending orders is not read whole every minute (on Cosmos DB, request units).
 */
const CHECKED_PER_RUN = 200;
/** Ids named in the warning about holds of orders the store does not have. */
const NAMED_MISSING = 10;

/** `count` ids from `start` on, going round to the beginning: runs from random points cover them all in turn. */
function windowOf(ids: readonly string[], start: number, count: number): string[] {
  const from = ids.slice(start, start + count);
  return [...from, ...ids.slice(0, count - from.length)];
}

/**
 * Settles the final orders that still hold stock. Every path writes an order's final status
 * first and settles its stock after, so a crash between the two (a killed process, a recycled
 * instance) leaves a cancelled order's stock held, or a completed order's hold in the product,
 * with nothing to come back to it. A run reads at most CHECKED_PER_RUN of the orders holding
 * stock, from a random point in id order (`startAt`, in [0, 1)), so with N live orders a
 * stranded one is found within about N / CHECKED_PER_RUN runs. Live orders' holds are left
 * alone; a hold whose order the store does not have is reported, never touched. Safe beside a
 * cancel, a move or the makeline settling the same order: settling is idempotent. Returns how
 * many orders it settled.
 */
export async function settleStrandedHolds(services: Services, log: Logger, startAt: () => number = Math.random): Promise<number> {
  const heldIds = (await services.products.heldOrderIds()).sort();
  const ids = heldIds.length <= CHECKED_PER_RUN ? heldIds : windowOf(heldIds, Math.floor(startAt() * heldIds.length), CHECKED_PER_RUN);
  const orders = await services.orders.getMany(ids);
  let settled = 0;
  for (const order of orders) {
    if (!isFinal(order.status)) continue;
    await settleOrderStock(services, order);
    settled++;
  }
  const found = new Set(orders.map((order) => order.orderId));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    log.warn(`settleStrandedHolds: stock held for ${missing.length} order(s) the store does not have, left held: ${missing.slice(0, NAMED_MISSING).join(', ')}`);
  }
  return settled;
}
