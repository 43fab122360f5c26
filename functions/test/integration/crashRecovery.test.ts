import { afterAll, expect, it } from 'vitest';
import { describeOnEachStore } from '../support/storeModes.js';
import { LIVELY_SCHEDULE } from '../../src/local/timers.js';
import { orderNeverSent, paidChargesOf } from '../support/hostStore.js';
import { allOrders, call, createProduct, eventually, orderUntilKilled, removeDataDir, startHost, type RunningHost } from '../support/localHost.js';

// Orders pay in the same call (CHECKOUT): one the kill cut short before its charge gives its stock back after 3 s.
const FAST_RECOVERY = { SEED_CATALOG: 'false', QUEUE_LOCK_DURATION_SECONDS: '2', OUTBOX_RESEND_AFTER_SECONDS: '1', OUTBOX_SWEEP_SCHEDULE: LIVELY_SCHEDULE, HOLD_MINUTES: '0.05' };

describeOnEachStore('a host killed with SIGKILL while orders arrive', (store) => {
  const hosts: RunningHost[] = [];
  afterAll(async () => {
    for (const host of hosts) await host.kill();
    if (hosts[0]) removeDataDir(hosts[0]);
  });

  it('keeps every order that got a 202, exactly once, and brings each to pending after a restart', async () => {
    const first = await startHost({ env: { ...FAST_RECOVERY, ...store.settings() } });
    hosts.push(first);
    const initialStock = 100_000;
    const product = await createProduct(first.url, { stock: initialStock });

    const acknowledged = await orderUntilKilled(first, product.id, 300 * store.scale);
    expect(first.output()).not.toMatch(/stopping/);

    // The crash that matters most: an order stored as received whose message was never sent.
    acknowledged.push(await orderNeverSent(first, product.id));

    const second = await startHost({ dataDir: first.dataDir, env: first.env });
    hosts.push(second);
    const stored = new Map<string, number>();
    await eventually(async () => {
      stored.clear();
      for (const order of await allOrders(second.url, 'status=pending')) {
        stored.set(order.orderId, (stored.get(order.orderId) ?? 0) + 1);
      }
      return acknowledged.every((orderId) => stored.has(orderId));
    }, 30_000, 250);

    for (const orderId of acknowledged) expect(stored.get(orderId)).toBe(1);
    // Stock taken once per pending order: nothing taken twice by a redelivery after the crash. An
    // order the kill caught paying is finished by the sweeper (pending) or, never charged, gives
    // its stock back once its hold ends.
    const settled = await eventually(async () => {
      const pending = await allOrders(second.url, 'status=pending');
      const { body: after } = await call(second.url, 'GET', `/api/products/${product.id}`);
      return after.stock === initialStock - pending.length && pending;
    }, 30_000, 500);
    // And no order, paid or not, was charged twice.
    const everyOrder = (await allOrders(second.url)).map((order) => order.orderId);
    const charges = await paidChargesOf(second, everyOrder);
    expect([...charges.values()].filter((count) => count > 1)).toEqual([]);
    for (const order of settled) expect(charges.get(order.orderId)).toBe(order.orderId === acknowledged.at(-1) ? 0 : 1);
  });
});
