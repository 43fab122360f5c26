import { afterAll, expect, it } from 'vitest';
import { describeOnEachStore } from '../support/storeModes.js';
import { LIVELY_SCHEDULE } from '../../src/local/timers.js';
import { orderNeverSent } from '../support/hostStore.js';
import { allOrders, call, createProduct, eventually, orderUntilKilled, removeDataDir, startHost, type RunningHost } from '../support/localHost.js';

const FAST_RECOVERY = { SEED_CATALOG: 'false', QUEUE_LOCK_DURATION_SECONDS: '2', OUTBOX_RESEND_AFTER_SECONDS: '1', OUTBOX_SWEEP_SCHEDULE: LIVELY_SCHEDULE };

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
    const { body: after } = await call(second.url, 'GET', `/api/products/${product.id}`);
    // Stock taken once per pending order: nothing taken twice by a redelivery after the crash.
    expect(after.stock).toBe(initialStock - stored.size);
  });
});
