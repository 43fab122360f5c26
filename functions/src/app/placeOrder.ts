import { idempotencyKeyReused } from '../domain/errors.js';
import { claimTokenFor, claimTokenHash, fingerprint, newId, orderIdForKey } from '../domain/ids.js';
import type { OrderOwner, StoredOrder } from '../domain/order.js';
import { orderNumberFor } from '../domain/orderNumber.js';
import { checkOrderSize } from '../domain/orderSize.js';
import { ownerKey } from '../domain/owner.js';
import { newOrder, priceItems } from '../domain/pricing.js';
import type { PlaceOrderInput } from '../domain/schemas.js';
import { holdExpiry, type Card, type PaymentMethod } from '../domain/payment.js';
import { awaitingPayment, rejectedUnpaid } from '../domain/paymentSteps.js';
import type { Logger, Services } from '../ports.js';
import { sendToMakeline } from './makeline.js';
import { chargeOrder, checkCard, type PaymentResult } from './payments.js';
import { reserveOrderStock, settleOrderStock } from './stock.js';

export interface Placed extends PaymentResult {
  /** False when an earlier request with the same Idempotency-Key created it. */
  created: boolean;
  /** A guest's order: what claiming it for an account needs, for the placing browser alone to keep. */
  claimToken?: string;
}

/** Tries before giving up on finding a free order number: each clash is about one in a billion. */
const NUMBER_ATTEMPTS = 5;

/**
 * The request as the fingerprint sees it: the same key from another account is another request.
 * The payment is left out: a retry may carry the card again or not, and a card's hash is no secret.
 */
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
 * Takes the new order's stock at once, all of it or none: short, it is rejected (naming the item,
 * as the makeline does) and gives back what it took; held, it is paid for when a card came with it.
 */
async function holdAndPay(services: Services, order: StoredOrder, payment: Paying | undefined, log: Logger): Promise<PaymentResult> {
  const short = await reserveOrderStock(services, order);
  if (short) {
    const rejected = rejectedUnpaid(order, services.clock.now(), `Not enough stock for ${short.name}.`);
    const result = await services.orders.replace(rejected, order.version);
    const final = result.outcome === 'replaced' ? rejected : ((await services.orders.get(order.orderId)) ?? order);
    await settleOrderStock(services, final);
    return { order: final };
  }
  if (!payment) return { order };
  return chargeOrder(services, order, payment.card, payment.method, log);
}

/** A payment that came with the order: the card (the demo's), and what may be kept of it. */
interface Paying {
  card: Card | undefined;
  method: PaymentMethod | undefined;
}

/**
 * A retry under the same Idempotency-Key: answers the order as it is, finishing what a crash may
 * have cut short. A received one is sent again (the send may be what failed); an unpaid one whose
 * hold is still on takes its stock (idempotent: a hold it has counts) and, with a card, pays an
 * attempt left processing with the same key, which is never a second charge.
 */
async function resume(services: Services, order: StoredOrder, payment: Paying | undefined, log: Logger): Promise<PaymentResult> {
  if (order.status === 'received') {
    await sendToMakeline(services, order, log);
    return { order };
  }
  if (order.status !== 'awaiting_payment' || order.holdReleased) return { order };
  const status = order.payment?.status;
  return holdAndPay(services, order, status === 'processing' || status === 'unpaid' ? payment : undefined, log);
}

/**
 * The one way an order enters the store: POST /api/orders and the virtual customer both use it.
 * A signed-in customer's order belongs to them (`owner`); a guest's has no owner. The order is
 * stored awaiting payment, then takes its stock, which it holds for HOLD_MINUTES; with a payment
 * in the input it is paid for before this returns (received, on its way to the makeline) or left
 * awaiting payment with the decline.
 */
export async function placeOrder(
  services: Services,
  input: PlaceOrderInput,
  idempotencyKey: string | undefined,
  log: Logger,
  owner: OrderOwner | null = null,
): Promise<Placed> {
  const { payment: asked, ...order } = input;
  // A bad card is refused before anything is stored.
  const payment: Paying | undefined = asked && { card: asked.card, method: checkCard(services, asked.card) };
  const requestHash = fingerprint(canonical(order, owner));
  const orderId = idempotencyKey ? orderIdForKey(idempotencyKey) : newId();
  const claimToken = owner ? undefined : claimTokenFor(idempotencyKey);
  const claim = claimToken === undefined ? {} : { claimToken };

  if (idempotencyKey) {
    const existing = await services.orders.get(orderId);
    if (existing) {
      sameRequestOrRefuse(existing, requestHash);
      return { ...(await resume(services, existing, payment, log)), created: false, ...claim };
    }
  }

  checkOrderSize(order.items, services.config.orderCaps);
  const products = await services.products.getMany(order.items.map((item) => item.productId));
  const items = priceItems(order.items, new Map(products.map((product) => [product.id, product])));
  const now = services.clock.now();
  const holdExpiresAt = holdExpiry(now, services.config.payments.holdMs);
  const firstAttempt = payment && { ...(payment.method && { method: payment.method }) };

  for (let attempt = 0; attempt < NUMBER_ATTEMPTS; attempt++) {
    const priced = awaitingPayment(newOrder(orderId, orderNumberFor(orderId, attempt), order, items, requestHash, now), services.payments.name, holdExpiresAt, firstAttempt);
    const draft = owner ? { ...priced, owner } : { ...priced, claimTokenHash: claimTokenHash(claimToken!) };
    const stored = await services.orders.insertIfAbsent(draft);
    if (stored === 'number_taken') continue;
    const { inserted, order: placed } = stored;
    if (!inserted) {
      sameRequestOrRefuse(placed, requestHash);
      return { ...(await resume(services, placed, payment, log)), created: false, ...claim };
    }
    return { ...(await holdAndPay(services, placed, payment, log)), created: true, ...claim };
  }
  throw new Error(`no free order number for ${orderId} after ${NUMBER_ATTEMPTS} attempts`);
}
