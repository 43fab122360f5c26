import { ApiError, apiPath, isId, request, type BodyOf, type Order, type OrderStatus, type ReplyOf } from './api';
import type { Card } from './payments';
import { load, save } from './storage';

/** The customer's words for each order status. */
export const STATUS_LABEL: Record<OrderStatus, string> = {
  awaiting_payment: 'Awaiting payment',
  received: 'Received',
  pending: 'Confirmed',
  processing: 'Being prepared',
  completed: 'Completed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

export type PlaceOrderBody = BodyOf<'postOrder'>;

/** What the checkout form gives: who to tell and where it goes (the card travels beside it). */
export type CheckoutDetails = Omit<PlaceOrderBody, 'items' | 'payment'>;

/** How people name an order: its number, or its id for orders from before numbers. */
export const orderLabel = (order: { orderId: string; number?: string | undefined }) => order.number ?? order.orderId;

/** Nobody has started on it: the customer may still cancel it. */
export const cancellable = (status: OrderStatus) => status === 'awaiting_payment' || status === 'received' || status === 'pending';

/** "My orders": what this browser placed, newest first. */
export interface PlacedOrder {
  orderId: string;
  number?: string;
  placedAt: string;
  totalCents: number;
  itemCount: number;
  /** Placed signed in, or offered for claiming once already: never offered (again). */
  owned?: boolean;
  /** A guest order's proof of being placed here, which claiming it needs; kept in this browser only. */
  claimToken?: string;
}

const ORDERS_KEY = 'bestbuy.orders';
const ATTEMPT_KEY = 'bestbuy.checkout-attempt';
const KEEP_ORDERS = 50;

function parseOrders(value: unknown): PlacedOrder[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter(
    (entry: Partial<PlacedOrder> | null): entry is PlacedOrder =>
      typeof entry?.orderId === 'string' && isId(entry.orderId) && typeof entry.placedAt === 'string' &&
      typeof entry.totalCents === 'number' && typeof entry.itemCount === 'number',
  );
}

export const myOrders = (): PlacedOrder[] => load(localStorage, ORDERS_KEY, parseOrders) ?? [];

function remember(order: ReplyOf<'postOrder'>): void {
  const entry: PlacedOrder = {
    orderId: order.orderId,
    ...(order.number && { number: order.number }),
    placedAt: order.createdAt,
    totalCents: order.totalCents,
    itemCount: order.items.reduce((count, item) => count + item.quantity, 0),
    ...(order.owner && { owned: true }),
    ...(order.claimToken && { claimToken: order.claimToken }),
  };
  const others = myOrders().filter((known) => known.orderId !== order.orderId);
  save(localStorage, ORDERS_KEY, [entry, ...others].slice(0, KEEP_ORDERS));
}

/**
 * One Idempotency-Key per checkout attempt: the same cart and details reuse the key (a double
 * click, a retry, even a reload after a lost answer), so the store makes one order of them and
 * charges it once. A changed cart is a new attempt with a new key. The card is no part of the
 * fingerprint: what is kept in sessionStorage must never hold it.
 */
function attemptKey(body: Omit<PlaceOrderBody, 'payment'>): string {
  const fingerprint = JSON.stringify(body);
  const known = load(sessionStorage, ATTEMPT_KEY, (value) => value as { key?: string; fingerprint?: string });
  if (known?.fingerprint === fingerprint && typeof known.key === 'string') return known.key;
  const random = crypto.getRandomValues(new Uint8Array(16));
  const key = `checkout-${Array.from(random, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
  save(sessionStorage, ATTEMPT_KEY, { key, fingerprint });
  return key;
}

/** Guest orders of this browser a customer who signs in is offered to add to their account: those it holds the token of. */
export const unclaimedOrders = (): Array<PlacedOrder & { claimToken: string }> =>
  myOrders().filter((order): order is PlacedOrder & { claimToken: string } => !order.owned && typeof order.claimToken === 'string');

/** Remembers that these orders were settled by a claim, whatever its outcome, so they are not offered again. */
export function markClaimed(orderIds: readonly string[]): void {
  const settled = new Set(orderIds);
  save(localStorage, ORDERS_KEY, myOrders().map((order) => (settled.has(order.orderId) ? { ...order, owned: true } : order)));
}

const RETRIES = 2;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Places the order and pays for it in one call, retrying network failures and 5xx with the same
 * key (the store never charges one order twice); 4xx answers are final. The reply comes once the
 * payment is decided: paid, declined (the order waits for another card) or asking to be confirmed.
 */
export async function submitOrder(order: Omit<PlaceOrderBody, 'payment'>, card: Card | null): Promise<ReplyOf<'postOrder'>> {
  const key = attemptKey(order);
  // No card (Stripe takes it in the browser, see PaymentFields): the order waits for payment.
  const body: PlaceOrderBody = card ? { ...order, payment: { card } } : order;
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await request(apiPath('orders'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify(body),
      });
      const order = (await response.json()) as ReplyOf<'postOrder'>;
      save(sessionStorage, ATTEMPT_KEY, undefined);
      remember(order);
      handOff(order);
      return order;
    } catch (error) {
      const retryable = !(error instanceof ApiError) || error.status === 0 || error.status >= 500;
      if (!retryable || attempt >= RETRIES) throw error;
      await pause(400 * (attempt + 1));
    }
  }
}

/** The order as the checkout received it, so its page shows it at once without a round trip. */
let handed: Order | undefined;

function handOff(order: Order): void {
  handed = order;
}

export function takeHandOff(orderId: string): Order | undefined {
  const order = handed?.orderId === orderId ? handed : undefined;
  handed = undefined;
  return order;
}
