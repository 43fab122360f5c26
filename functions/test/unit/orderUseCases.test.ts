import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkoutDefaults, claimOrders, listOwnOrders } from '../../src/app/customerOrders.js';
import { findOrder } from '../../src/app/findOrder.js';
import { resolveDeadLetter } from '../../src/app/deadLetters.js';
import { checkHealth, withoutErrors } from '../../src/app/health.js';
import { makeOrder } from '../../src/app/makeline.js';
import { applyCancellation } from '../../src/app/cancellation.js';
import { moveOrder, moveOrderAsEmployee } from '../../src/app/moveOrder.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { resendOrder } from '../../src/app/resendOrder.js';
import { orderIdForKey } from '../../src/domain/ids.js';
import { outboxWrite } from '../../src/domain/notices.js';
import { publicOrder, type OrderOwner, type StoredOrder } from '../../src/domain/order.js';
import type { PlaceOrderInput } from '../../src/domain/schemas.js';
import type { AuditEntry, Logger, OrderStore } from '../../src/ports.js';
import { CHECKOUT, checkoutFor } from '../support/checkout.js';
import { addProduct, silentLog, tempServices, withPort } from '../support/services.js';

/**
 * The order's use cases as a customer and an employee meet them, on the embedded store: what is
 * stored and sent, what is refused (changing nothing), and what the audit log says.
 */

const EMPLOYEE = { userId: 'e1', userDetails: 'grace@example.com', identityProvider: 'aad', userRoles: ['authenticated', 'admin'] };
const ADA: OrderOwner = { identityProvider: 'github', userId: 'u-ada', name: 'ada' };
const BOB: OrderOwner = { identityProvider: 'github', userId: 'u-bob', name: 'bob' };
const ADA_PRINCIPAL = { identityProvider: 'github', userId: 'u-ada', userDetails: 'ada', userRoles: ['authenticated'] };

type Services = ReturnType<typeof tempServices>;

let services: Services;
beforeEach(() => {
  services = tempServices();
});
afterEach(() => services.dispose());

const auditLog = async (): Promise<AuditEntry[]> => (await services.audit.list({ limit: 100 })).items;
/** The ids of the orders waiting in the queue, oldest first. */
const queued = async () => (await services.embeddedQueue.receive(100)).map((message) => JSON.parse(message.body).orderId as string);
const body = (productId: string, quantity = 1, checkout = CHECKOUT): PlaceOrderInput => ({ items: [{ productId, quantity }], ...checkout });

/** Log lines, kept to look at. */
function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, error() {}, warn: (message: string) => void warnings.push(message) };
}

describe('placing an order', () => {
  it('stores it received, priced from the catalog, and sends it to the makeline', async () => {
    const product = await addProduct(services, { priceCents: 1500 });
    const { order, created } = await placeOrder(services, body(product.id, 2), undefined, silentLog);
    expect(created).toBe(true);
    expect(order).toMatchObject({ status: 'received', totalCents: 3000, items: [{ productId: product.id, quantity: 2, unitPriceCents: 1500 }] });
    expect(order.number).toMatch(/^BB-/);
    expect(order).not.toHaveProperty('owner');
    expect(await services.orders.get(order.orderId)).toEqual(order);
    expect(await queued()).toEqual([order.orderId]);
  });

  it('makes a signed-in customer the owner', async () => {
    const product = await addProduct(services);
    const { order } = await placeOrder(services, body(product.id), undefined, silentLog, ADA);
    expect((await services.orders.get(order.orderId))!.owner).toEqual(ADA);
  });

  it('answers a retry with the same key with the same order, sent again only while still received', async () => {
    const product = await addProduct(services);
    const sent: string[] = [];
    const send = services.queue.send.bind(services.queue);
    const counting = withPort(services, 'queue', { send: (message: { orderId: string }, id: string) => (sent.push(id), send(message, id)) });
    const first = await placeOrder(counting, body(product.id), 'checkout-0001', silentLog);
    expect(first.order.orderId).toBe(orderIdForKey('checkout-0001'));
    const again = await placeOrder(counting, body(product.id), 'checkout-0001', silentLog);
    // The same claim token too: it comes from the key, so the browser that retried can still claim it.
    expect(again).toEqual({ order: first.order, created: false, claimToken: first.claimToken });
    expect(sent).toEqual([first.order.orderId, first.order.orderId]);
    await makeOrder(services, first.order.orderId);
    expect((await placeOrder(counting, body(product.id), 'checkout-0001', silentLog)).order.status).toBe('pending');
    expect(sent).toHaveLength(2);
  });

  it.each([
    ['another quantity', (productId: string) => body(productId, 2), null],
    ['another address', (productId: string) => body(productId, 1, checkoutFor('Bob')), null],
    ['the same body from another account', (productId: string) => body(productId), BOB],
  ])('refuses the key reused for %s, storing nothing', async (_what, other, owner) => {
    const product = await addProduct(services);
    await placeOrder(services, body(product.id), 'checkout-0002', silentLog, owner === null ? null : ADA);
    await expect(placeOrder(services, other(product.id), 'checkout-0002', silentLog, owner)).rejects.toMatchObject({ code: 'idempotency_key_reused' });
    expect((await services.orders.list({ limit: 10 })).items).toHaveLength(1);
  });

  it('takes the items in any order as the same request', async () => {
    const [a, b] = [await addProduct(services), await addProduct(services)];
    const items = [{ productId: a.id, quantity: 1 }, { productId: b.id, quantity: 2 }];
    const first = await placeOrder(services, { ...CHECKOUT, items }, 'checkout-0003', silentLog);
    const again = await placeOrder(services, { ...CHECKOUT, items: [...items].reverse() }, 'checkout-0003', silentLog);
    expect(again.order.orderId).toBe(first.order.orderId);
  });

  it('refuses a racing twin with another body under the same key', async () => {
    const product = await addProduct(services);
    const stored = (await placeOrder(services, body(product.id), undefined, silentLog)).order;
    // The twin wrote first, between this request's read and its insert.
    const racing = withPort(services, 'orders', { get: async () => null, insertIfAbsent: async () => ({ inserted: false, order: stored }) });
    await expect(placeOrder(racing, body(product.id, 2), 'checkout-0004', silentLog)).rejects.toMatchObject({ code: 'idempotency_key_reused' });
  });

  it('moves on to the next number when one is taken, and gives up after five', async () => {
    const product = await addProduct(services);
    let refusals = 2;
    const insert = services.orders.insertIfAbsent.bind(services.orders);
    const clashing = withPort(services, 'orders', { insertIfAbsent: async (order: Parameters<OrderStore['insertIfAbsent']>[0]) => (refusals-- > 0 ? 'number_taken' as const : insert(order)) });
    const { order } = await placeOrder(clashing, body(product.id), 'checkout-0005', silentLog);
    expect(refusals).toBe(-1);
    expect(await services.orders.get(order.orderId)).toMatchObject({ number: order.number });

    const full = withPort(services, 'orders', { insertIfAbsent: async () => 'number_taken' as const });
    await expect(placeOrder(full, body(product.id), 'checkout-0006', silentLog)).rejects.toThrow(/after 5 attempts/);
  });

  it('keeps the order when the send fails, and says the outbox sweeper will send it', async () => {
    const product = await addProduct(services);
    const log = recordingLog();
    const unsent = withPort(services, 'queue', { send: () => Promise.reject(new Error('queue down')) });
    const { order, created } = await placeOrder(unsent, body(product.id), undefined, log);
    expect(created).toBe(true);
    expect(await services.orders.get(order.orderId)).toMatchObject({ status: 'received' });
    expect(log.warnings).toEqual([`order ${order.orderId} stored but not yet queued; the outbox sweeper will retry`]);
  });

  it('refuses an order for too much and stores nothing', async () => {
    const product = await addProduct(services, { stock: 1 });
    await expect(placeOrder(services, body(product.id, 2), undefined, silentLog)).rejects.toMatchObject({ code: 'out_of_stock' });
    expect((await services.orders.list({ limit: 10 })).items).toEqual([]);
  });
});

describe('moving an order', () => {
  async function pending() {
    const product = await addProduct(services);
    const { order } = await placeOrder(services, body(product.id), undefined, silentLog);
    return makeOrder(services, order.orderId);
  }

  it('moves it a step at the version seen, and records the move for an employee', async () => {
    const order = await pending();
    const moved = await moveOrderAsEmployee(services, EMPLOYEE, order.orderId, 'processing', order.version);
    expect(moved).toMatchObject({ status: 'processing', version: order.version + 1 });
    expect(await services.orders.get(order.orderId)).toEqual(moved);
    const [entry] = await auditLog();
    expect(entry).toMatchObject({
      action: 'order.transition',
      target: order.orderId,
      targetName: order.number,
      before: { number: order.number, status: 'pending', version: order.version },
      after: { number: order.number, status: 'processing', version: order.version + 1 },
    });
  });

  it('keeps a completed order’s stock sold', async () => {
    const order = await pending();
    const processing = await moveOrder(services, order.orderId, 'processing', order.version);
    await moveOrder(services, order.orderId, 'completed', processing.version);
    expect((await services.products.get(order.items[0]!.productId))!.stock).toBe(9);
    expect(await services.products.heldOrderIds()).toEqual([]);
  });

  it.each([
    ['an order that is not there', 'ghost', 'processing', 0, 'order_not_found'],
    ['to cancelled', 'real', 'cancelled', 0, 'illegal_transition'],
    ['at a version not seen', 'real', 'processing', 5, 'stale_version'],
    ['a step it cannot take', 'real', 'completed', 0, 'illegal_transition'],
  ] as const)('refuses %s, changing nothing', async (_what, which, to, versionOffset, code) => {
    const order = await pending();
    await expect(moveOrderAsEmployee(services, EMPLOYEE, which === 'real' ? order.orderId : which, to, order.version + versionOffset)).rejects.toMatchObject({ code });
    expect(await services.orders.get(order.orderId)).toEqual(order);
    expect(await auditLog()).toEqual([]);
  });

  it('refuses a move that loses the race, naming the version now', async () => {
    const order = await pending();
    const later = { ...order, version: order.version + 1 };
    let reads = 0;
    const racing = withPort(services, 'orders', { replace: async () => ({ outcome: 'stale' as const }), get: async () => (reads++ === 0 ? order : later) });
    await expect(moveOrder(racing, order.orderId, 'processing', order.version)).rejects.toMatchObject({ code: 'stale_version', details: [expect.objectContaining({ current: later.version })] });
    const gone = withPort(services, 'orders', { replace: async () => ({ outcome: 'missing' as const }) });
    await expect(moveOrder(gone, order.orderId, 'processing', order.version)).rejects.toMatchObject({ code: 'order_not_found' });
  });

  it('moves and cancels an order whose email was recorded since the employee saw it; replies count only the changes people made', async () => {
    const acts = [
      ['processing', (order: StoredOrder) => moveOrder(services, order.orderId, 'processing', order.version)],
      ['cancelled', (order: StoredOrder) => applyCancellation(services, order, { by: 'employee', employee: EMPLOYEE, reason: 'Out of stock at the warehouse.', expectedVersion: order.version }, silentLog)],
    ] as const;
    for (const [status, act] of acts) {
      const order = await pending();
      const mailed = outboxWrite(order);
      expect((await services.orders.replace(mailed, order.version)).outcome).toBe('replaced');
      expect(publicOrder(mailed).version).toBe(order.version);
      expect((await act(order)).status).toBe(status);
    }
  });
});

describe('sending an order to the makeline again', () => {
  it('sends a received order under a message id of its own, and records it', async () => {
    const product = await addProduct(services);
    const { order } = await placeOrder(services, body(product.id), undefined, silentLog);
    await resendOrder(services, EMPLOYEE, order.orderId);
    expect(await queued()).toEqual([order.orderId, order.orderId]);
    const [entry] = await auditLog();
    expect(entry).toMatchObject({ action: 'order.resend', target: order.orderId, targetName: order.number, before: { status: 'received', version: order.version } });
  });

  it.each([
    ['an order that is not there', 'order_not_found'],
    ['an order past received', 'not_received'],
  ])('refuses %s', async (what, code) => {
    const product = await addProduct(services);
    const { order } = await placeOrder(services, body(product.id), undefined, silentLog);
    await makeOrder(services, order.orderId);
    await services.embeddedQueue.receive(100);
    await expect(resendOrder(services, EMPLOYEE, what.includes('not there') ? 'ghost' : order.orderId)).rejects.toMatchObject({ code });
    expect(await auditLog()).toEqual([]);
  });
});

describe("a customer's own orders", () => {
  it('shows an order to whoever holds its id, and says when there is none', async () => {
    const product = await addProduct(services);
    const { order } = await placeOrder(services, body(product.id), undefined, silentLog, ADA);
    expect(await findOrder(services, order.orderId)).toEqual(order);
    await expect(findOrder(services, 'ghost')).rejects.toMatchObject({ code: 'order_not_found' });
  });

  it('lists only the account’s orders, newest first, and fills the checkout from the newest', async () => {
    const product = await addProduct(services);
    expect(await checkoutDefaults(services, ADA)).toEqual({ orderId: null, customer: {}, shipping: null });
    const older = (await placeOrder(services, body(product.id), undefined, silentLog, ADA)).order;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newer = (await placeOrder(services, body(product.id, 1, checkoutFor('Ada Lovelace')), undefined, silentLog, ADA)).order;
    await placeOrder(services, body(product.id), undefined, silentLog, BOB);
    expect((await listOwnOrders(services, ADA, { limit: 10 })).items.map((order) => order.orderId)).toEqual([newer.orderId, older.orderId]);
    const page = await listOwnOrders(services, ADA, { limit: 1 });
    expect(page.items.map((order) => order.orderId)).toEqual([newer.orderId]);
    expect((await listOwnOrders(services, ADA, { limit: 1, cursor: page.nextCursor! })).items.map((order) => order.orderId)).toEqual([older.orderId]);
    expect(await checkoutDefaults(services, ADA)).toEqual({ orderId: newer.orderId, customer: newer.customer, shipping: newer.shipping });
  });

  it('gives a customer whose newest order has no address an empty shipping', async () => {
    const product = await addProduct(services);
    const { order } = await placeOrder(services, body(product.id), undefined, silentLog, ADA);
    const { shipping: _none, ...withoutAddress } = order;
    await services.orders.replace({ ...withoutAddress, version: order.version + 1 }, order.version);
    expect((await checkoutDefaults(services, ADA)).shipping).toBeNull();
  });

  it('claims guest orders, each named once, refusing another account’s and recording each claim', async () => {
    const product = await addProduct(services);
    const placed = await placeOrder(services, body(product.id), undefined, silentLog);
    const guest = placed.order;
    const bobs = (await placeOrder(services, body(product.id), undefined, silentLog, BOB)).order;
    const proof = { orderId: guest.orderId, claimToken: placed.claimToken! };
    // An owned order needs no token: its owner decides it.
    const results = await claimOrders(services, ADA, ADA_PRINCIPAL, [proof, { orderId: bobs.orderId, claimToken: '-' }, { orderId: 'ghost', claimToken: '-' }, proof]);
    expect(results).toEqual([
      { orderId: guest.orderId, outcome: 'claimed' },
      { orderId: bobs.orderId, outcome: 'owned_by_someone_else' },
      { orderId: 'ghost', outcome: 'not_found' },
    ]);
    expect(await services.orders.get(guest.orderId)).toMatchObject({ owner: ADA, version: guest.version + 1 });
    expect((await services.orders.get(bobs.orderId))!.owner).toEqual(BOB);
    expect(await claimOrders(services, ADA, ADA_PRINCIPAL, [proof])).toEqual([{ orderId: guest.orderId, outcome: 'already_yours' }]);
    const entries = await auditLog();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'order.claim', target: guest.orderId, targetName: guest.number, before: { owner: null }, after: { owner: ADA } });
  });

  it('claims an order that changes meanwhile at its new version, and gives up on one that keeps changing', async () => {
    const product = await addProduct(services);
    const placed = await placeOrder(services, body(product.id), undefined, silentLog);
    const guest = placed.order;
    let losses = 1;
    const replace = services.orders.replace.bind(services.orders);
    const once = withPort(services, 'orders', { replace: async (...args: Parameters<OrderStore['replace']>) => (losses-- > 0 ? { outcome: 'stale' as const } : replace(...args)) });
    expect(await claimOrders(once, ADA, ADA_PRINCIPAL, [{ orderId: guest.orderId, claimToken: placed.claimToken! }])).toEqual([{ orderId: guest.orderId, outcome: 'claimed' }]);

    const otherPlaced = await placeOrder(services, body(product.id), undefined, silentLog);
    const other = otherPlaced.order;
    const otherClaim = [{ orderId: other.orderId, claimToken: otherPlaced.claimToken! }];
    const always = withPort(services, 'orders', { replace: async () => ({ outcome: 'stale' as const }) });
    await expect(claimOrders(always, ADA, ADA_PRINCIPAL, otherClaim)).rejects.toMatchObject({ code: 'order_busy' });
    const gone = withPort(services, 'orders', { replace: async () => ({ outcome: 'missing' as const }) });
    expect(await claimOrders(gone, ADA, ADA_PRINCIPAL, otherClaim)).toEqual([{ orderId: other.orderId, outcome: 'not_found' }]);
    expect((await services.orders.get(other.orderId))!.owner).toBeUndefined();
  });
});

describe('dead letters', () => {
  async function deadLettered(): Promise<string> {
    await services.embeddedQueue.sendRaw('{"not":"an order"}', 'garbage-1');
    const [message] = await services.embeddedQueue.receive(1);
    await services.embeddedQueue.deadLetter(message!.lockToken, 'bad', 'not an order');
    return (await services.queue.deadLetters({ limit: 1 })).items[0]!.sequenceNumber;
  }

  it.each(['replay', 'discard'] as const)('%s one, once, recording what it was', async (how) => {
    const sequenceNumber = await deadLettered();
    await resolveDeadLetter(services, EMPLOYEE, sequenceNumber, how);
    expect((await services.queue.depth()).deadLettered).toBe(0);
    expect((await services.queue.depth()).active).toBe(how === 'replay' ? 1 : 0);
    await expect(resolveDeadLetter(services, EMPLOYEE, sequenceNumber, how)).rejects.toMatchObject({ code: 'dead_letter_not_found' });
    const entries = await auditLog();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: `deadletter.${how}`, target: sequenceNumber, before: { messageId: 'garbage-1', body: '{"not":"an order"}' } });
  });
});

describe('health', () => {
  it('is ok when every dependency answers, each check timed', async () => {
    const health = await checkHealth(services);
    expect(health).toMatchObject({ healthy: true, status: 'ok' });
    expect(Object.keys(health.checks)).toEqual(['store', 'queue', 'images']);
    for (const check of Object.values(health.checks)) {
      expect(check).toEqual({ status: 'ok', latencyMs: expect.any(Number) });
      expect(check.latencyMs).toBeGreaterThanOrEqual(0);
      expect(check.latencyMs).toBeLessThan(10_000); // the time it took, not a clock reading
    }
  });

  it.each(['products', 'orders', 'queue', 'images'] as const)('is degraded when %s does not answer, and says why to employees only', async (port) => {
    const down = withPort(services, port, { ping: () => Promise.reject(new Error(`${port} is down`)) });
    const health = await checkHealth(down);
    expect(health).toMatchObject({ healthy: false, status: 'degraded' });
    const failed = port === 'products' || port === 'orders' ? 'store' : port;
    expect(health.checks[failed]).toEqual({ status: 'down', latencyMs: expect.any(Number), error: `${port} is down` });
    expect(health.checks[failed].latencyMs).toBeLessThan(10_000);
    expect(Object.values(health.checks).filter((check) => check.status === 'down')).toHaveLength(1);
    expect(withoutErrors(health.checks)[failed]).toEqual({ status: 'down', latencyMs: expect.any(Number) });
  });
});
