import type { Cents } from './money.js';
import { illegalTransition } from './errors.js';
import { addNotice, changeVersion, noticeForStatus, type Notice } from './notices.js';
import type { Payment } from './payment.js';

export const ORDER_STATUSES = ['awaiting_payment', 'received', 'pending', 'processing', 'completed', 'rejected', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderItem {
  productId: string;
  name: string;
  quantity: number;
  unitPriceCents: Cents;
}

export interface Customer {
  name?: string;
  email?: string;
}

/** The signed-in customer an order belongs to (domain/owner.ts); a guest's order has none. */
export interface OrderOwner {
  identityProvider: string;
  userId: string;
  /** What people read: the provider's user name or email. */
  name: string;
}

/** Where the order goes: every field required at checkout; orders placed before addresses were taken have none. */
export interface ShippingAddress {
  name: string;
  street: string;
  city: string;
  postalCode: string;
  country: string;
}

export interface StatusChange {
  status: OrderStatus;
  at: string;
  reason?: string;
}

export interface Order {
  orderId: string;
  /** The short number people read and say (BB-7K3Q9P); orders placed before numbers existed may lack it. */
  number?: string;
  customer: Customer;
  shipping?: ShippingAddress;
  /** Absent for a guest's order until the guest signs in and claims it. */
  owner?: OrderOwner;
  items: OrderItem[];
  totalCents: Cents;
  status: OrderStatus;
  history: StatusChange[];
  version: number;
  createdAt: string;
  updatedAt: string;
  /** The emails this order's changes call for (domain/notices.ts); internal, never in a reply. */
  notices?: Notice[];
  /** How the order is paid for; orders placed before payments existed have none and need none. */
  payment?: Payment;
  /** While awaiting_payment: when the stock it holds goes back (HOLD_MINUTES after it was placed). */
  holdExpiresAt?: string;
  /** True once the outbox sweeper gave the stock of an unpaid order back; paying takes it again. */
  holdReleased?: boolean;
}

/** The order as stored: also remembers a fingerprint of the request that created it. */
export interface StoredOrder extends Order {
  requestHash: string;
  /** A guest's order: the hash of the token its claim must show (domain/ids.ts claimTokenFor). */
  claimTokenHash?: string;
  /**
   * The key its stock is held under when it is not the order id: a payment after the hold expired
   * takes the stock again under a key of its own, so the sweeper's late release of the old hold
   * can never give back the new one (app/payments.ts).
   */
  stockHold?: string;
  /** How many of its writes only kept its email outbox (domain/notices.ts); see changeVersion. */
  noticeWrites?: number;
}

/** The key an order's stock is held under (ProductStore.reserveStock); see StoredOrder.stockHold. */
export const holdKeyOf = (order: Pick<StoredOrder, 'orderId' | 'stockHold'>): string => order.stockHold ?? order.orderId;

/** The order a hold key belongs to: a re-taken hold's key is the order id, ":" and a new id. */
export const orderIdOfHold = (holdKey: string): string => holdKey.split(':')[0]!;

/** A key for stock taken again: the order id, then a new id (domain/ids.ts), which begins with the time it was made. */
export const retakenHoldKey = (orderId: string, id: string): string => `${orderId}:${id}`;

/** When a re-taken hold's key was made (ms), from the time its new id begins with; null for the order's first hold. */
export function holdKeyMadeAt(holdKey: string): number | null {
  const suffix = holdKey.split(':')[1];
  return suffix === undefined ? null : parseInt(suffix.slice(0, 9), 36);
}

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  // Paid: on to the makeline; short of stock when placed: rejected at once.
  awaiting_payment: ['received', 'rejected', 'cancelled'],
  received: ['pending', 'rejected', 'cancelled'],
  pending: ['processing', 'cancelled'],
  processing: ['completed'],
  completed: [],
  rejected: [],
  cancelled: [],
};

/**
 * Moves an employee may make through a transition; received → pending/rejected belongs to the
 * makeline alone, and a cancel goes through cancelOrder, which needs a reason.
 */
export const EMPLOYEE_TRANSITIONS: readonly OrderStatus[] = ['processing', 'completed'];

/** Nobody has started on it yet: the customer (or an employee) may still cancel it. */
export function isCancellable(status: OrderStatus): boolean {
  return status === 'awaiting_payment' || status === 'received' || status === 'pending';
}

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return NEXT[from].includes(to);
}

export function isFinal(status: OrderStatus): boolean {
  return NEXT[status].length === 0;
}

/** Statuses after which the order holds no stock. */
export function releasesStock(status: OrderStatus): boolean {
  return status === 'rejected' || status === 'cancelled';
}

export function transition<T extends Order>(order: T, to: OrderStatus, now: Date, reason?: string): T {
  if (!canTransition(order.status, to)) {
    throw illegalTransition(order.status, to, NEXT[order.status]);
  }
  const at = now.toISOString();
  const change: StatusChange = reason === undefined ? { status: to, at } : { status: to, at, reason };
  const next = { ...order, status: to, history: [...order.history, change], version: order.version + 1, updatedAt: at };
  // The email this change calls for goes in the same write: it cannot be lost or sent for a write that failed.
  const kind = noticeForStatus(to);
  return kind ? addNotice(next, kind, now) : next;
}

/**
 * What a customer or employee may see; the request fingerprint, the claim token's hash, the hold's
 * key, the provider's own reference for the payment and the email outbox stay inside, and the
 * version is the one people act on (changeVersion).
 */
export function publicOrder(order: StoredOrder | Order): Order {
  const { requestHash: _hidden, claimTokenHash: _alsoHidden, stockHold: _holdKey, notices: _outbox, noticeWrites: _outboxWrites, ...rest } = order as StoredOrder;
  const visible = { ...rest, version: changeVersion(order) };
  if (!visible.payment) return visible;
  const { reference: _reference, ...payment } = visible.payment;
  return { ...visible, payment };
}

/** The order as whoever holds its link sees it: who placed it, without the account id ownership is keyed by. */
export type LinkedOrder = Omit<Order, 'owner'> & { owner?: Omit<OrderOwner, 'userId'> };

/**
 * What the order's public routes answer. Links get forwarded and the id is all they need; the
 * owner's userId (with the provider, the key to their account's orders) stays with employees.
 */
export function linkedOrder(order: StoredOrder | Order): LinkedOrder {
  const { owner, ...visible } = publicOrder(order);
  return owner ? { ...visible, owner: { identityProvider: owner.identityProvider, name: owner.name } } : visible;
}
