import { orderKeptChanging, wrongClaimToken } from '../domain/errors.js';
import { claimTokenHash } from '../domain/ids.js';
import { type Customer, type Order, type OrderOwner, type ShippingAddress } from '../domain/order.js';
import { claimOutcome, ownerKey, type ClaimOutcome } from '../domain/owner.js';
import type { Page, Principal, Services } from '../ports.js';
import { audit } from './audit.js';

/** A signed-in customer's own orders, newest first, a page at a time. */
export function listOwnOrders(services: Services, owner: OrderOwner, page: { limit: number; cursor?: string | undefined }): Promise<Page<Order>> {
  return services.orders.list({ ownerKey: ownerKey(owner), limit: page.limit, cursor: page.cursor });
}

export interface ClaimResult {
  orderId: string;
  outcome: ClaimOutcome;
}

/** Writes that lost to a concurrent change of the same order before claiming gives up on it. */
const CLAIM_ATTEMPTS = 5;

async function claimOne(services: Services, owner: OrderOwner, principal: Principal, orderId: string): Promise<ClaimOutcome> {
  for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
    const order = await services.orders.get(orderId);
    const outcome = claimOutcome(order, owner);
    if (outcome !== 'claimed') return outcome;
    // A new version: an employee or the makeline that read the order before keeps its own write
    // from dropping the owner (theirs is then stale, and they read the order again).
    const claimed = { ...order!, owner, version: order!.version + 1, updatedAt: services.clock.now().toISOString() };
    const result = await services.orders.replace(claimed, order!.version);
    if (result.outcome === 'missing') return 'not_found';
    if (result.outcome === 'replaced') {
      await audit(services, principal, 'order.claim', orderId, { before: { owner: null }, after: { owner } }, order!.number);
      return 'claimed';
    }
  }
  throw orderKeptChanging(orderId, 'claimed');
}

/** A guest order to claim, with the token POST /orders gave the browser that placed it. */
export interface ClaimRequest {
  orderId: string;
  claimToken: string;
}

/**
 * Refuses the whole claim, before anything is written, if any guest order in it comes without
 * its own token: holding an order's link (its id) is not proof of having placed it. Guest orders
 * from before tokens existed have none to show, so they stay guest orders.
 */
async function checkTokens(services: Services, claims: readonly ClaimRequest[]): Promise<void> {
  const tokens = new Map(claims.map((claim) => [claim.orderId, claim.claimToken]));
  for (const order of await services.orders.getMany([...tokens.keys()])) {
    if (order.owner !== undefined) continue;
    if (order.claimTokenHash === undefined || order.claimTokenHash !== claimTokenHash(tokens.get(order.orderId)!)) {
      throw wrongClaimToken(order.orderId);
    }
  }
}

/**
 * Makes guest orders (placed before signing in) the signed-in customer's, once each shows the
 * token its placing browser kept. Each order is then decided alone: one with no owner becomes
 * theirs, one already theirs stays so, and one owned by another account is refused and left as it is.
 */
export async function claimOrders(services: Services, owner: OrderOwner, principal: Principal, claims: readonly ClaimRequest[]): Promise<ClaimResult[]> {
  await checkTokens(services, claims);
  const results: ClaimResult[] = [];
  for (const orderId of new Set(claims.map((claim) => claim.orderId))) {
    results.push({ orderId, outcome: await claimOne(services, owner, principal, orderId) });
  }
  return results;
}

/** What the checkout fills in for a signed-in customer: the details of their newest order. */
export interface CheckoutDefaults {
  /** The order they come from; null when the customer has none yet. */
  orderId: string | null;
  customer: Customer;
  /** Where that order went; null before the first, or for orders from before addresses were taken. */
  shipping: ShippingAddress | null;
}

export async function checkoutDefaults(services: Services, owner: OrderOwner): Promise<CheckoutDefaults> {
  const [last] = (await listOwnOrders(services, owner, { limit: 1 })).items;
  if (!last) return { orderId: null, customer: {}, shipping: null };
  return { orderId: last.orderId, customer: last.customer, shipping: last.shipping ?? null };
}
