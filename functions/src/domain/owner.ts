import { notSignedIn } from './errors.js';
import type { Order, OrderOwner } from './order.js';

/**
 * Who is calling, as Static Web Apps names a signed-in user (http/principal.ts reads it). Kept
 * structural here so the domain needs nothing from the HTTP layer.
 */
export interface Identity {
  identityProvider?: string | undefined;
  userId?: string | undefined;
  userDetails?: string | undefined;
}

/**
 * The account an order placed by this caller belongs to; null for a guest. Static Web Apps'
 * userId is unique per app and provider, so the pair names one account for good; userDetails
 * (a user name or an email) is what people read.
 */
export function ownerOf(identity: Identity | null): OrderOwner | null {
  if (!identity?.identityProvider || !identity.userId) return null;
  return { identityProvider: identity.identityProvider, userId: identity.userId, name: identity.userDetails || identity.userId };
}

/** One string per account: what the stores index and filter orders by. */
export const ownerKey = (owner: Pick<OrderOwner, 'identityProvider' | 'userId'>): string => `${owner.identityProvider}/${owner.userId}`;

const sameAccount = (owner: OrderOwner, caller: OrderOwner | null) => caller !== null && ownerKey(owner) === ownerKey(caller);

/**
 * Whether this caller may act on the order as its customer (see it in their list, cancel it):
 * an order with an owner answers to that account alone; a guest's order to whoever holds its id.
 */
export function mayActOnOrder(order: Pick<Order, 'owner'>, identity: Identity | null): boolean {
  return order.owner === undefined || sameAccount(order.owner, ownerOf(identity));
}

export type ClaimOutcome = 'claimed' | 'already_yours' | 'owned_by_someone_else' | 'not_found';

/** What claiming an order for `owner` comes to, before anything is written. */
export function claimOutcome(order: Pick<Order, 'owner'> | null, owner: OrderOwner): ClaimOutcome {
  if (!order) return 'not_found';
  if (order.owner === undefined) return 'claimed';
  return sameAccount(order.owner, owner) ? 'already_yours' : 'owned_by_someone_else';
}

/** A signed-in route reached without an account the store can own orders for. */
export const noAccount = () => notSignedIn('authenticated');
