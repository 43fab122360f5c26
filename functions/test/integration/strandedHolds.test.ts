import { expect, it } from 'vitest';
import { describeOnEachStore } from '../support/storeModes.js';
import { cancelledStillHolding } from '../support/hostStore.js';
import { CHECKOUT } from '../support/checkout.js';
import { call, createProduct, eventually, useHost } from '../support/localHost.js';

/** Every 2 s: inside the outbox's range (30 s to 300 s by default), and quick enough to wait for. */
const QUICK_SWEEPS = '*/2 * * * * *';

describeOnEachStore('a cancel killed between its status write and its release, on the local host', (store) => {
  const host = useHost(() => ({ SEED_CATALOG: 'false', OUTBOX_SWEEP_SCHEDULE: QUICK_SWEEPS, ...store.settings() }));
  const stockOf = async (productId: string) => (await call(host.url, 'GET', `/api/products/${productId}`)).body.stock as number;

  it('gets its stock back from the next outbox sweep, once', async () => {
    const product = await createProduct(host.url, { stock: 10 });
    const placed = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 3 }], ...CHECKOUT } });
    expect(placed.status).toBe(202);
    await eventually(async () => (await call(host.url, 'GET', placed.body.statusUrl)).body.status === 'pending');
    expect(await stockOf(product.id)).toBe(7);

    await cancelledStillHolding(host, placed.body.orderId);
    expect((await call(host.url, 'GET', placed.body.statusUrl)).body.status).toBe('cancelled');

    await eventually(async () => (await stockOf(product.id)) === 10, 15_000, 100);
    // Three sweeps later it is still given back once, and said once.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    expect(await stockOf(product.id)).toBe(10);
    expect(host.output().match(/settled the stock of 1 final order/g)).toHaveLength(1);
  });
});
