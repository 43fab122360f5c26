import { describe, expect, it } from 'vitest';
import { CHECKOUT } from '../support/checkout.js';
import { ADMIN, call, createProduct, useHost, type Reply } from '../support/localHost.js';

/** The principal Static Web Apps passes for a customer signed in with a built-in provider. */
function signedIn(userId: string, userDetails: string, identityProvider = 'github') {
  const principal = { identityProvider, userId, userDetails, userRoles: ['anonymous', 'authenticated'] };
  return { 'x-ms-client-principal': Buffer.from(JSON.stringify(principal)).toString('base64') };
}

const ADA = signedIn('ada-0001', 'ada-lovelace');
const BOB = signedIn('bob-0002', 'bob@example.com', 'aad');

interface Listed {
  orderId: string;
  owner?: { identityProvider: string; userId: string; name: string };
  /** Answered by POST /orders for a guest's order only. */
  claimToken?: string;
}

/** A token of the right shape that is no order's. */
const NO_TOKEN = 'A'.repeat(43);
const claimOf = (order: Listed | string) =>
  typeof order === 'string' ? { orderId: order, claimToken: NO_TOKEN } : { orderId: order.orderId, claimToken: order.claimToken ?? NO_TOKEN };

describe('customer accounts: orders that belong to a signed-in customer', () => {
  const host = useHost({ SEED_CATALOG: 'false' });

  const place = async (headers: Record<string, string> = {}, customer = CHECKOUT.customer, shipping = CHECKOUT.shipping) => {
    const product = await createProduct(host.url, { stock: 50 });
    const reply = await call(host.url, 'POST', '/api/orders', { headers, body: { items: [{ productId: product.id, quantity: 1 }], customer, shipping, payment: CHECKOUT.payment } });
    expect(reply.status).toBe(202);
    return reply.body as Listed;
  };

  /** Every order GET /api/me/orders lists for this customer, page by page. */
  const myOrders = async (headers: Record<string, string>, limit: number) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Reply<{ items: Listed[]; nextCursor: string | null }> = await call(host.url, 'GET', `/api/me/orders?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`, { headers });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.body.items.map((order) => order.orderId));
      cursor = page.body.nextCursor;
    } while (cursor);
    return ids;
  };

  it("stores the signed-in customer as the order's owner, and none for a guest", async () => {
    const owned = await place(ADA);
    expect(owned.owner).toEqual({ identityProvider: 'github', name: 'ada-lovelace' });
    const guest = await place();
    expect(guest.owner).toBeUndefined();
    // Employees see who placed it, in the list and in the order itself.
    expect((await call(host.url, 'GET', `/api/manage/orders/${owned.orderId}`, { headers: ADMIN })).body.owner).toEqual({ identityProvider: 'github', userId: 'ada-0001', name: 'ada-lovelace' });
    expect((await call(host.url, 'GET', `/api/manage/orders/${guest.orderId}`, { headers: ADMIN })).body.owner).toBeUndefined();
    const board = await call(host.url, 'GET', '/api/manage/orders?limit=100', { headers: ADMIN });
    expect(board.body.items.find((order: Listed) => order.orderId === owned.orderId).owner.name).toBe('ada-lovelace');
  });

  it("lists only the caller's orders, newest first, page by page", async () => {
    const adas: string[] = [];
    for (let n = 0; n < 5; n++) {
      adas.push((await place(ADA)).orderId);
      await place(BOB);
      await place();
    }
    const listed = await myOrders(ADA, 2);
    // Newest first; the earlier test's order is Ada's too, and comes last.
    expect(listed.slice(0, 5)).toEqual([...adas].reverse());
    expect(listed).toHaveLength(6);
    const bobs = await myOrders(BOB, 100);
    expect(bobs).toHaveLength(5);
    expect(bobs.some((id) => listed.includes(id))).toBe(false);
  });

  it('answers 401 to a caller who is not signed in, and 400 to a cursor it never made', async () => {
    for (const [method, path] of [['GET', '/api/me/orders'], ['POST', '/api/me/orders/claim'], ['GET', '/api/me/checkout-defaults']] as const) {
      const reply = await call(host.url, method, path, method === 'POST' ? { body: { orders: [claimOf('x')] } } : {});
      expect(reply.status, `${method} ${path}`).toBe(401);
      expect(reply.body.error.code).toBe('unauthenticated');
    }
    expect((await call(host.url, 'GET', '/api/me/orders?cursor=nonsense', { headers: ADA })).body.error.code).toBe('invalid_cursor');
  });

  it('claims guest orders for the signed-in customer, never one that is already someone else’s', async () => {
    const guestOrders = [await place(), await place()];
    const bobs = await place(BOB);
    const adas = await place(ADA);
    const claim = (headers: Record<string, string>, orders: Array<Listed | string>) =>
      call(host.url, 'POST', '/api/me/orders/claim', { headers, body: { orders: orders.map(claimOf) } });

    expect(guestOrders[0]!.claimToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(bobs.claimToken).toBeUndefined();
    const reply = await claim(ADA, [...guestOrders, bobs, adas, 'no-such-order']);
    expect(reply.status).toBe(200);
    expect(reply.body.results).toEqual([
      { orderId: guestOrders[0]!.orderId, outcome: 'claimed' },
      { orderId: guestOrders[1]!.orderId, outcome: 'claimed' },
      { orderId: bobs.orderId, outcome: 'owned_by_someone_else' },
      { orderId: adas.orderId, outcome: 'already_yours' },
      { orderId: 'no-such-order', outcome: 'not_found' },
    ]);
    const mine = await myOrders(ADA, 100);
    for (const order of guestOrders) expect(mine).toContain(order.orderId);
    expect(mine).not.toContain(bobs.orderId);
    const stillBobs = await call(host.url, 'GET', `/api/manage/orders/${bobs.orderId}`, { headers: ADMIN });
    expect(stillBobs.body.owner.userId).toBe('bob-0002');

    // Claimed once, an order is no longer Bob's to take.
    const late = await claim(BOB, [guestOrders[0]!]);
    expect(late.body.results).toEqual([{ orderId: guestOrders[0]!.orderId, outcome: 'owned_by_someone_else' }]);
    expect((await call(host.url, 'GET', `/api/manage/orders/${guestOrders[0]!.orderId}`, { headers: ADMIN })).body.owner.userId).toBe('ada-0001');

    const audit = await call(host.url, 'GET', '/api/manage/audit?limit=100', { headers: ADMIN });
    const claims = audit.body.items.filter((entry: { action: string }) => entry.action === 'order.claim');
    expect(claims.map((entry: { target: string }) => entry.target).sort()).toEqual(guestOrders.map((order) => order.orderId).sort());
  });

  it("shows whoever holds an order's link who placed it, but not the account's id", async () => {
    // The link is all a customer needs to follow an order, and it gets forwarded; the account id
    // is what ownership is keyed by, so only employees (and the owner's own list) see it.
    const owned = await place(BOB);
    const seen = [
      (await call(host.url, 'GET', `/api/orders/${owned.orderId}`)).body,
      (await call(host.url, 'POST', `/api/orders/${owned.orderId}/cancel`, { headers: BOB })).body,
    ];
    for (const order of seen) {
      expect(order.status).toMatch(/received|pending|cancelled/);
      expect(order.owner).toEqual({ identityProvider: 'aad', name: 'bob@example.com' });
    }
    const employeeView = await call(host.url, 'GET', `/api/manage/orders/${owned.orderId}`, { headers: ADMIN });
    expect(employeeView.body.owner.userId).toBe('bob-0002');
  });

  it("refuses a claim without the placing browser's token (403), changing nothing; the link still views and cancels", async () => {
    const guest = await place();
    const other = await place();
    const attempts = [
      [{ orderId: guest.orderId, claimToken: NO_TOKEN }],
      // Another order's token is no proof for this one, even sent beside that order's own.
      [claimOf(other), { orderId: guest.orderId, claimToken: other.claimToken }],
    ];
    for (const orders of attempts) {
      const reply = await call(host.url, 'POST', '/api/me/orders/claim', { headers: ADA, body: { orders } });
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('claim_token_mismatch');
      expect(reply.body.error.details[0].message).toContain(guest.orderId);
    }
    for (const order of [guest, other]) expect((await call(host.url, 'GET', `/api/manage/orders/${order.orderId}`, { headers: ADMIN })).body.owner).toBeUndefined();
    // A retry of the same checkout (same Idempotency-Key) is answered the same token.
    const product = await createProduct(host.url, { stock: 5 });
    const body = { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT };
    const first = await call(host.url, 'POST', '/api/orders', { headers: { 'idempotency-key': 'claim-retry-1' }, body });
    const again = await call(host.url, 'POST', '/api/orders', { headers: { 'idempotency-key': 'claim-retry-1' }, body });
    expect(again.body.claimToken).toBe(first.body.claimToken);
    // Whoever holds the link still follows and cancels the guest order.
    expect((await call(host.url, 'GET', `/api/orders/${guest.orderId}`)).status).toBe(200);
    expect((await call(host.url, 'POST', `/api/orders/${guest.orderId}/cancel`)).body.status).toBe('cancelled');
    // With its own token, the same claim goes through.
    const claimed = await call(host.url, 'POST', '/api/me/orders/claim', { headers: ADA, body: { orders: [claimOf(other)] } });
    expect(claimed.body.results).toEqual([{ orderId: other.orderId, outcome: 'claimed' }]);
  });

  it('refuses a claim body that is not a list of orders with tokens, changing nothing', async () => {
    const guest = await place();
    for (const body of [{}, { orders: [] }, { orders: [claimOf('../x')] }, { orders: [{ orderId: guest.orderId }] }, { orderIds: [guest.orderId] }, { orders: [claimOf(guest)], extra: 1 }]) {
      const reply = await call(host.url, 'POST', '/api/me/orders/claim', { headers: ADA, body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
    }
    expect((await call(host.url, 'GET', `/api/orders/${guest.orderId}`)).body.owner).toBeUndefined();
  });

  it("fills in the checkout from the customer's newest order", async () => {
    const carol = signedIn('carol-0003', 'carol');
    expect((await call(host.url, 'GET', '/api/me/checkout-defaults', { headers: carol })).body).toEqual({ orderId: null, customer: {}, shipping: null });
    await place(carol, { name: 'Carol Old', email: 'old@example.com' });
    const carolsAddress = { ...CHECKOUT.shipping, name: 'Carol Shaw', street: '3 Lamp Lane' };
    const newest = await place(carol, { name: 'Carol Shaw', email: 'carol@example.com' }, carolsAddress);
    await place(ADA, { name: 'Not Carol', email: 'ada@example.com' });
    const defaults = await call(host.url, 'GET', '/api/me/checkout-defaults', { headers: carol });
    expect(defaults.body).toEqual({ orderId: newest.orderId, customer: { name: 'Carol Shaw', email: 'carol@example.com' }, shipping: carolsAddress });
  });
});
