import { holdKeyMadeAt, holdKeyOf, isFinal, orderIdOfHold, releasesStock, type Order, type OrderItem, type StoredOrder } from '../domain/order.js';
import type { Logger, Services } from '../ports.js';

/** Takes stock for all of the order's items in one store call, under its hold key; the item that is short, if any. */
export async function reserveOrderStock(services: Services, order: StoredOrder, holdKey = holdKeyOf(order)): Promise<OrderItem | undefined> {
  const reservation = await services.products.reserveStock(holdKey, order.items);
  if (reservation.outcome === 'reserved') return undefined;
  return order.items.find((item) => item.productId === reservation.productId);
}

/**
 * Settles what a final order holds: a rejected or cancelled order gives its stock back, a
 * completed one keeps it; either way its holds are forgotten, so a product's record stays small
 * however many orders it has had. Idempotent, so any step may repeat it; does nothing while the
 * order is still live.
 */
export async function settleOrderStock(services: Services, order: Order & { stockHold?: string }): Promise<void> {
  if (!isFinal(order.status)) return;
  const productIds = order.items.map((item) => item.productId);
  if (releasesStock(order.status)) await services.products.releaseStock(holdKeyOf(order), productIds);
  else await services.products.forgetHolds(holdKeyOf(order), productIds);
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
 * What to do with one hold a sweep found: give it back, settle it as its final order does, or
 * leave it. An order's hold is its own unless the order took its stock again under a new key
 * (StoredOrder.stockHold); the old key's stock is then due back, unless the key is younger than
 * `graceMs` (the payment that made it may not have written the order yet).
 */
function holdFate(holdKey: string, order: StoredOrder, nowMs: number, graceMs: number): 'release' | 'settle' | 'leave' {
  if (holdKey !== holdKeyOf(order)) return nowMs - (holdKeyMadeAt(holdKey) ?? 0) > graceMs ? 'release' : 'leave';
  if (isFinal(order.status)) return 'settle';
  // An unpaid order's hold ended and the sweeper wrote so, but a crash cut the release short.
  return order.status === 'awaiting_payment' && order.holdReleased ? 'release' : 'leave';
}

/**
 * Settles the holds nothing will come back to. Every path writes an order's final status first
 * and settles its stock after, so a crash between the two (a killed process, a recycled instance)
 * leaves a cancelled order's stock held, or a completed order's hold in the product, with
 * nothing to come back to it; the same goes for an unpaid order whose hold ended (holdReleased
 * written, stock not yet given back) and for a hold an order replaced by taking its stock again.
 * A run reads at most CHECKED_PER_RUN of the holds, from a random point in key order (`startAt`,
 * in [0, 1)), so with N holds a stranded one is found within about N / CHECKED_PER_RUN runs. Live
 * orders' holds are left alone; a hold whose order the store does not have is reported, never
 * touched. Safe beside a cancel, a move, a payment or the makeline settling the same order:
 * settling is idempotent. Returns how many holds it settled.
 */
export async function settleStrandedHolds(services: Services, log: Logger, startAt: () => number = Math.random): Promise<number> {
  const heldKeys = (await services.products.heldOrderIds()).sort();
  const keys = heldKeys.length <= CHECKED_PER_RUN ? heldKeys : windowOf(heldKeys, Math.floor(startAt() * heldKeys.length), CHECKED_PER_RUN);
  const orders = new Map((await services.orders.getMany([...new Set(keys.map(orderIdOfHold))])).map((order) => [order.orderId, order]));
  const nowMs = services.clock.now().getTime();
  let settled = 0;
  const missing: string[] = [];
  for (const key of keys) {
    const order = orders.get(orderIdOfHold(key));
    if (!order) {
      missing.push(key);
      continue;
    }
    const fate = holdFate(key, order, nowMs, services.config.outbox.resendAfterMs);
    if (fate === 'leave') continue;
    if (fate === 'settle') await settleOrderStock(services, order);
    else await services.products.releaseStock(key, order.items.map((item) => item.productId));
    settled++;
  }
  if (missing.length > 0) {
    log.warn(`settleStrandedHolds: stock held for ${missing.length} order(s) the store does not have, left held: ${missing.slice(0, NAMED_MISSING).join(', ')}`);
  }
  return settled;
}
