import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedQueue } from '../../src/adapters/embedded/queue.js';
import { SqliteOrderStore } from '../../src/adapters/embedded/orderStore.js';
import { readConfig } from '../../src/config.js';
import { newId } from '../../src/domain/ids.js';
import { newOrder } from '../../src/domain/pricing.js';
import { ORDERS_QUEUE } from '../../src/triggers.js';
import { inHostStore } from '../support/hostStore.js';
import { allOrders, call, createProduct, eventually, orderUntilKilled, removeDataDir, startHost, type RunningHost } from '../support/localHost.js';
import { CHECKOUT } from '../support/checkout.js';
import { randomOrderNumber } from '../../src/domain/orderNumber.js';

// Orders pay in the same call: one the kill caught paying is finished by the sweeper after 1 s, or
// gives its stock back when its 3 s hold ends.
const ENV = { SEED_CATALOG: 'false', QUEUE_LOCK_DURATION_SECONDS: '2', OUTBOX_RESEND_AFTER_SECONDS: '1', OUTBOX_SWEEP_SCHEDULE: '*/2 * * * * *', HOLD_MINUTES: '0.05' };

/** An order and its message, queued into a store no host may be running on. Returns its id. */
async function queueOrder(dataDir: string, productId: string): Promise<string> {
  const order = newOrder(newId(), randomOrderNumber(), CHECKOUT, [{ productId, name: 'Test Lamp', quantity: 1, unitPriceCents: 1999 }], 'hash', new Date());
  await inHostStore(dataDir, async (file) => {
    await new SqliteOrderStore(file).insertIfAbsent(order);
    await new EmbeddedQueue(file, { queueName: ORDERS_QUEUE, ...readConfig({ DATA_DIR: dataDir }).queue }).send({ orderId: order.orderId }, order.orderId);
  });
  return order.orderId;
}

const statusOf = async (base: string, orderId: string) => (await call(base, 'GET', `/api/orders/${orderId}`)).body.status as string;

describe('the makeline in a worker thread of the local host', () => {
  const hosts: RunningHost[] = [];
  afterAll(async () => {
    for (const host of hosts) await host.kill();
    if (hosts[0]) removeDataDir(hosts[0]);
  });

  it('dies with a SIGKILLed host while busy, and a restart makes every acknowledged order once', async () => {
    const first = await startHost({ env: ENV });
    hosts.push(first);
    const initialStock = 100_000;
    const product = await createProduct(first.url, { stock: initialStock });
    const acknowledged = await orderUntilKilled(first, product.id);

    // A makeline that outlived its host would make this order within its 200 ms poll.
    const queuedAfterKill = await queueOrder(first.dataDir, product.id);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const untouched = await inHostStore(first.dataDir, async (file) => new SqliteOrderStore(file).get(queuedAfterKill));
    expect(untouched?.status).toBe('received');

    const second = await startHost({ dataDir: first.dataDir, env: ENV });
    hosts.push(second);
    acknowledged.push(queuedAfterKill);
    const pending = new Map<string, number>();
    await eventually(async () => {
      pending.clear();
      for (const order of await allOrders(second.url, 'status=pending')) pending.set(order.orderId, (pending.get(order.orderId) ?? 0) + 1);
      return acknowledged.every((orderId) => pending.has(orderId));
    }, 30_000, 250);
    for (const orderId of acknowledged) expect(pending.get(orderId)).toBe(1);
    await eventually(async () => {
      const { body: after } = await call(second.url, 'GET', `/api/products/${product.id}`);
      return after.stock === initialStock - (await allOrders(second.url, 'status=pending')).length;
    }, 30_000, 500);
  });

  it('makes orders sent on the host, and ends with a host stopped by SIGTERM', async () => {
    const host = await startHost({ env: ENV });
    hosts.push(host);
    const product = await createProduct(host.url, { stock: 5 });
    const placed = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT } });
    expect(placed.status).toBe(202);
    await eventually(async () => (await statusOf(host.url, placed.body.orderId)) === 'pending', 5_000, 20);

    const stopping = Date.now();
    await host.kill('SIGTERM');
    expect(Date.now() - stopping).toBeLessThan(3_000);
    expect(host.output()).toMatch(/SIGTERM: stopping/);
    expect(host.output()).not.toMatch(/queue worker/);
    const queuedAfterStop = await queueOrder(host.dataDir, product.id);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await inHostStore(host.dataDir, async (file) => new SqliteOrderStore(file).get(queuedAfterStop)))?.status).toBe('received');
  });
});
