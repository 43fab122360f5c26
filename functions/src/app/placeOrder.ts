import { idempotencyKeyReused } from '../domain/errors.js';
import { claimTokenFor, claimTokenHash, fingerprint, newId, orderIdForKey } from '../domain/ids.js';
import type { OrderOwner, StoredOrder } from '../domain/order.js';
import { orderNumberFor } from '../domain/orderNumber.js';
import { checkOrderSize } from '../domain/orderSize.js';
import { ownerKey } from '../domain/owner.js';
import { newOrder, priceItems } from '../domain/pricing.js';
import type { PlaceOrderInput } from '../domain/schemas.js';
import type { Logger, Services } from '../ports.js';

export interface Placed {
  order: StoredOrder;
  /** False when an earlier request with the same Idempotency-Key created it. */
  created: boolean;
  /** A guest's order: what claiming it for an account needs, for the placing browser alone to keep. */
  claimToken?: string;
}

/** Tries before giving up on finding a free order number: each clash is about one in a billion. */
const NUMBER_ATTEMPTS = 5;

/** The request as the fingerprint sees it: the same key from another account is another request. */
function canonical(input: PlaceOrderInput, owner: OrderOwner | null) {
  return {
    items: [...input.items].sort((a, b) => a.productId.localeCompare(b.productId)),
    customer: input.customer,
    shipping: input.shipping,
    ...(owner && { owner: ownerKey(owner) }),
  };
}

function sameRequestOrRefuse(existing: StoredOrder, requestHash: string): StoredOrder {
  if (existing.requestHash !== requestHash) throw idempotencyKeyReused();
  return existing;
}

/**
 * Hands the order to the makeline. A failed send is not the customer's problem: the order is
 * stored as received, and the outbox sweeper sends it again.
 */
export async function sendToMakeline(services: Services, order: StoredOrder, log: Logger): Promise<void> {
  try {
    await services.queue.send({ orderId: order.orderId }, order.orderId);
  } catch (error) {
    log.warn(`order ${order.orderId} stored but not yet queued; the outbox sweeper will retry`, error);
  }
}

/**
 * The one way an order enters the store: POST /api/orders and the virtual customer both use it.
 * A signed-in customer's order belongs to them (`owner`); a guest's has no owner.
 */
export async function placeOrder(
  services: Services,
  input: PlaceOrderInput,
  idempotencyKey: string | undefined,
  log: Logger,
  owner: OrderOwner | null = null,
): Promise<Placed> {
  const requestHash = fingerprint(canonical(input, owner));
  const orderId = idempotencyKey ? orderIdForKey(idempotencyKey) : newId();
  const claimToken = owner ? undefined : claimTokenFor(idempotencyKey);
  const claim = claimToken === undefined ? {} : { claimToken };

  if (idempotencyKey) {
    const existing = await services.orders.get(orderId);
    if (existing) {
      sameRequestOrRefuse(existing, requestHash);
      if (existing.status === 'received') await sendToMakeline(services, existing, log);
      return { order: existing, created: false, ...claim };
    }
  }

  checkOrderSize(input.items, services.config.orderCaps);
  const products = await services.products.getMany(input.items.map((item) => item.productId));
  const items = priceItems(input.items, new Map(products.map((product) => [product.id, product])));
  const now = services.clock.now();

  for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++) {
    const priced = newOrder(orderId, orderNumberFor(orderId, attempt), input, items, requestHash, now);
    const draft = owner ? { ...priced, owner } : { ...priced, claimTokenHash: claimTokenHash(claimToken!) };
    const stored = await services.orders.insertIfAbsent(draft);
    if (stored === 'number_taken') continue;
    const { inserted, order } = stored;
    if (!inserted) sameRequestOrRefuse(order, requestHash);
    await sendToMakeline(services, order, log);
    return { order, created: inserted, ...claim };
  }
  throw new Error(`no free order number for ${orderId} after ${NUMBER_ATTEMPTS} attempts`);
}
