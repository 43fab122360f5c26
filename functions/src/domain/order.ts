import type { Cents } from './money.js';
import { illegalTransition } from './errors.js';

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

export interface StatusChange {
  status: OrderStatus;
  at: string;
  reason?: string;
}

export interface Order {
  orderId: string;
  customer: Customer;
  /** Absent for a guest's order until the guest signs in and claims it. */
  owner?: OrderOwner;
  items: OrderItem[];
  totalCents: Cents;
  status: OrderStatus;
  history: StatusChange[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The order as stored: also remembers a fingerprint of the request that created it. */
export interface StoredOrder extends Order {
  requestHash: string;
}

const NEXT: Record<OrderStatus, readonly OrderStatus[]> = {
  received: ['pending', 'rejected'],
  pending: ['processing', 'cancelled'],
  processing: ['completed'],
  completed: [],
  rejected: [],
  cancelled: [],
};

/** Moves an employee may make; received → pending/rejected belongs to the makeline alone. */
export const EMPLOYEE_TRANSITIONS: readonly OrderStatus[] = ['processing', 'completed', 'cancelled'];

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
  return { ...order, status: to, history: [...order.history, change], version: order.version + 1, updatedAt: at };
}

/** What a customer or employee may see; the request fingerprint stays inside. */
export function publicOrder(order: StoredOrder | Order): Order {
  const { requestHash: _hidden, ...visible } = order as StoredOrder;
  return visible;
}
