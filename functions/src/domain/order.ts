import type { Cents } from './money.js';
import { illegalTransition } from './errors.js';
import { addNotice, noticeForStatus, type Notice } from './notices.js';

export const ORDER_STATUSES = ['received', 'pending', 'processing', 'completed', 'rejected', 'cancelled'] as const;
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
}

/** The order as stored: also remembers a fingerprint of the request that created it. */
export interface StoredOrder extends Order {
  requestHash: string;
  /** A guest's order: the hash of the token its claim must show (domain/ids.ts claimTokenFor). */
  claimTokenHash?: string;
}

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
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
  return status === 'received' || status === 'pending';
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

/** What a customer or employee may see; the request fingerprint, the claim token's hash and the email outbox stay inside. */
export function publicOrder(order: StoredOrder | Order): Order {
  const { requestHash: _hidden, claimTokenHash: _alsoHidden, notices: _internal, ...visible } = order as StoredOrder;
  return visible;
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
