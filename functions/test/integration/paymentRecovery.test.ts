import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, expect, it } from 'vitest';
import { describeOnEachStore } from '../support/storeModes.js';
import { killedMidPayment, ledgerOf } from '../support/hostStore.js';
import { CHECKOUT, TEST_CARDS, UNPAID } from '../support/checkout.js';
import { ADMIN, call, createProduct, eventually, removeDataDir, startHost, useHost, type RunningHost } from '../support/localHost.js';

/** Every 2 s, and the sweeper takes over an unfinished payment after 1 s: quick enough to wait for. */
const QUICK = { SEED_CATALOG: 'false', OUTBOX_SWEEP_SCHEDULE: '*/2 * * * * *', OUTBOX_RESEND_AFTER_SECONDS: '1' };

const charges = (entries: Array<{ kind: string; state: string }>) => entries.filter((entry) => entry.kind === 'charge' && entry.state === 'paid').length;
const refunds = (entries: Array<{ kind: string }>) => entries.filter((entry) => entry.kind === 'refund').length;

describeOnEachStore('unpaid holds, crashed payments and refunds, on the local host', (store) => {
  // 0.05 minutes: an unpaid order's stock goes back 3 s after it was placed.
  const host = useHost(() => ({ ...QUICK, HOLD_MINUTES: '0.05', ...store.settings() }));
  const stockOf = async (productId: string) => (await call(host.url, 'GET', `/api/products/${productId}`)).body.stock as number;
  const orderOf = async (orderId: string) => (await call(host.url, 'GET', `/api/orders/${orderId}`)).body;
  const place = async (productId: string, quantity: number, details: object = UNPAID) =>
    (await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId, quantity }], ...details } })).body;

  it('gives an unpaid order’s stock back when its hold ends, and re-checks the stock when it is paid after', async () => {
    const product = await createProduct(host.url, { name: 'Hold Lamp', stock: 5 });
    const waiting = await place(product.id, 3);
    expect(waiting.status).toBe('awaiting_payment');
    expect(await stockOf(product.id)).toBe(2);
    await eventually(async () => (await orderOf(waiting.orderId)).holdReleased === true, 15_000, 100);
    expect(await stockOf(product.id)).toBe(5);
    const overview = await call(host.url, 'GET', '/api/manage/overview', { headers: ADMIN });
    expect(overview.body.payments.unpaid).toBeGreaterThanOrEqual(1);
    expect(overview.body.payments.expiredHolds.count).toBeGreaterThanOrEqual(1);

    // Someone else buys most of it meanwhile: paying now would oversell, so it is refused, naming what is left.
    expect((await place(product.id, 4, CHECKOUT)).status).toBe('received');
    const late = await call(host.url, 'POST', `/api/orders/${waiting.orderId}/payment`, { body: { card: TEST_CARDS.success } });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: 'insufficient_stock', details: [{ productId: product.id, name: 'Hold Lamp', available: 1 }] });
    expect(late.body.error.message).toContain('Hold Lamp (1 left)');
    expect(await stockOf(product.id)).toBe(1);
    expect(charges(await ledgerOf(host, waiting.orderId))).toBe(0);

    // Restocked, the same order pays and takes its stock again, once.
    await call(host.url, 'POST', `/api/manage/products/${product.id}/restock`, { headers: ADMIN, body: { quantity: 5 } });
    const paid = await call(host.url, 'POST', `/api/orders/${waiting.orderId}/payment`, { body: { card: TEST_CARDS.success } });
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'received', payment: { status: 'paid' } });
    await eventually(async () => (await orderOf(waiting.orderId)).status === 'pending');
    expect(await stockOf(product.id)).toBe(3);
    // Sweeps later nothing has given it back: the old hold was released, the new one is kept.
    await new Promise((resolve) => setTimeout(resolve, 4_500));
    expect(await stockOf(product.id)).toBe(3);
  });

  it('refunds a paid order once when its customer or an employee cancels it, and audits each refund', async () => {
    const product = await createProduct(host.url, { stock: 10 });
    const byCustomer = await place(product.id, 2, CHECKOUT);
    await eventually(async () => (await orderOf(byCustomer.orderId)).status === 'pending');
    const cancelled = await call(host.url, 'POST', `/api/orders/${byCustomer.orderId}/cancel`);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', payment: { status: 'refunded', refund: { amountCents: byCustomer.totalCents } } });
    expect(cancelled.body.payment.refund.at).toBeTruthy();
    expect((await call(host.url, 'POST', `/api/orders/${byCustomer.orderId}/cancel`)).status).toBe(409);

    const byEmployee = await place(product.id, 1, CHECKOUT);
    const byBulk = await place(product.id, 1, CHECKOUT);
    const current = async (orderId: string) => (await call(host.url, 'GET', `/api/manage/orders/${orderId}`, { headers: ADMIN })).body;
    const one = await current(byEmployee.orderId);
    expect((await call(host.url, 'POST', `/api/manage/orders/${one.orderId}/cancel`, { headers: ADMIN, body: { reason: 'Out of delivery range.', version: one.version } })).body.payment.status).toBe('refunded');
    const bulk = await current(byBulk.orderId);
    const bulkReply = await call(host.url, 'POST', '/api/manage/orders/bulk', { headers: ADMIN, body: { to: 'cancelled', reason: 'Warehouse closed.', orders: [{ orderId: bulk.orderId, version: bulk.version }] } });
    expect(bulkReply.body.results[0]).toMatchObject({ outcome: 'done', status: 'cancelled' });
    expect((await orderOf(byBulk.orderId)).payment.status).toBe('refunded');

    const audit = (await call(host.url, 'GET', '/api/manage/audit?limit=100', { headers: ADMIN })).body.items as Array<{ action: string; target: string }>;
    for (const order of [byCustomer, byEmployee, byBulk]) {
      const ledger = await ledgerOf(host, order.orderId);
      expect([charges(ledger), refunds(ledger)]).toEqual([1, 1]);
      expect(audit.filter((entry) => entry.action === 'order.refund' && entry.target === order.orderId)).toHaveLength(1);
    }
    expect(await stockOf(product.id)).toBe(10);
  });
});

describeOnEachStore('a host killed in the middle of a payment', (store) => {
  const hosts: RunningHost[] = [];
  afterAll(async () => {
    for (const running of hosts) await running.kill();
    if (hosts[0]) removeDataDir(hosts[0]);
  });

  it('charges once, and the order reaches pending; one killed before the charge is left to pay again', async () => {
    const first = await startHost({ env: { ...QUICK, ...store.settings() } });
    hosts.push(first);
    const product = await createProduct(first.url, { stock: 10 });
    const unpaid = async () => (await call(first.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...UNPAID } })).body.orderId as string;
    const [charged, notCharged] = [await unpaid(), await unpaid()];
    await first.kill('SIGKILL');
    // What the kill left: each with its attempt written as processing; the first also charged.
    await killedMidPayment(first, charged, true);
    await killedMidPayment(first, notCharged, false);

    const second = await startHost({ dataDir: first.dataDir, env: first.env });
    hosts.push(second);
    const orderOf = async (orderId: string) => (await call(second.url, 'GET', `/api/orders/${orderId}`)).body;
    await eventually(async () => (await orderOf(charged)).status === 'pending', 20_000, 200);
    expect((await orderOf(charged)).payment).toMatchObject({ status: 'paid', attempts: 1 });
    const retry = await call(second.url, 'POST', `/api/orders/${charged}/payment`, { body: { card: TEST_CARDS.success } });
    expect(retry.body.error.code).toBe('already_paid');
    expect(charges(await ledgerOf(second, charged))).toBe(1);

    const interrupted = await eventually(async () => {
      const order = await orderOf(notCharged);
      return order.payment.status === 'failed' && order;
    }, 20_000, 200);
    expect(interrupted).toMatchObject({ status: 'awaiting_payment', payment: { attempts: 1, failure: expect.stringContaining('nothing was taken') } });
    const paid = await call(second.url, 'POST', `/api/orders/${notCharged}/payment`, { body: { card: TEST_CARDS.success } });
    expect(paid.body).toMatchObject({ status: 'received', payment: { status: 'paid', attempts: 2 } });
    expect(charges(await ledgerOf(second, notCharged))).toBe(1);
    // Both took their stock once.
    expect((await call(second.url, 'GET', `/api/products/${product.id}`)).body.stock).toBe(8);
  });
});

/** Everything the host's store holds, as text: the SQLite file (and its WAL), and the MongoDB database when it keeps orders there. */
async function storedText(host: { dataDir: string; env: Record<string, string> }): Promise<string> {
  const files = readdirSync(host.dataDir).filter((name) => name.startsWith('store.db')).map((name) => readFileSync(join(host.dataDir, name)).toString('latin1'));
  if (host.env.STORE_ADAPTERS !== 'mongo') return files.join('');
  const client = new MongoClient(host.env.MONGODB_URI!);
  try {
    const db = client.db(host.env.MONGODB_DATABASE!);
    const collections = await db.listCollections().toArray();
    const documents = await Promise.all(collections.map((collection) => db.collection(collection.name).find().toArray()));
    return files.join('') + JSON.stringify(documents);
  } finally {
    await client.close();
  }
}

describeOnEachStore('card details', (store) => {
  const host = useHost(() => ({ SEED_CATALOG: 'false', ...store.settings() }));

  it('never reach the store or the log: only the brand and the last four digits do', async () => {
    const product = await createProduct(host.url, { stock: 20 });
    const secret = { expiry: '11/38', cvc: '987' };
    const cards = Object.values(TEST_CARDS).map((card) => ({ ...card, ...secret }));
    for (const card of cards) {
      const placed = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...UNPAID, payment: { card: { ...card, number: card.number.replace(/(\d{4})/g, '$1 ').trim() } } } });
      expect(placed.status).toBe(202);
      await call(host.url, 'POST', `/api/orders/${placed.body.orderId}/payment`, { body: { card } });
    }
    // A bad card is refused with its problems named, never with the card.
    const bad = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...UNPAID, payment: { card: { number: '4242424242424242', expiry: '01/20', cvc: '987' } } } });
    expect(JSON.stringify(bad.body)).not.toContain('4242424242424242');
    const stored = await storedText(host);
    for (const text of [stored, host.output()]) {
      for (const card of cards) expect(text).not.toContain(card.number);
      expect(text).not.toContain('11/38');
      expect(text).not.toContain('"987"');
    }
    expect(stored).toContain('"last4":"4242"');
  });
});
