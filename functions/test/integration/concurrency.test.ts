import { expect, it } from 'vitest';
import { describeOnEachStore } from '../support/storeModes.js';
import { allOrders, call, createProduct, eventually, useHost } from '../support/localHost.js';
import { CHECKOUT, checkoutFor } from '../support/checkout.js';

describeOnEachStore('many customers at once', (store) => {
  const host = useHost(() => ({ SEED_CATALOG: 'false', ...store.settings() }));

  it(`sells exactly ${100 * store.scale} of ${100 * store.scale} units to ${500 * store.scale} concurrent one-unit orders, never below zero`, async () => {
    const [stock, orders] = [100 * store.scale, 500 * store.scale];
    const product = await createProduct(host.url, { stock });
    const replies = await Promise.all(
      Array.from({ length: orders }, () =>
        call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT } }),
      ),
    );
    const accepted = replies.filter((reply) => reply.status === 202);
    const refused = replies.filter((reply) => reply.status === 409);
    expect(accepted.length + refused.length).toBe(orders);
    expect(accepted.length).toBeGreaterThanOrEqual(stock);
    for (const reply of refused) expect(reply.body.error.code).toBe('out_of_stock');

    await eventually(async () => (await allOrders(host.url, 'status=received')).length === 0, 20_000, 100);
    const pending = await allOrders(host.url, 'status=pending');
    const rejected = await allOrders(host.url, 'status=rejected');
    expect(pending).toHaveLength(stock);
    expect(pending.length + rejected.length).toBe(accepted.length);
    expect((await call(host.url, 'GET', `/api/products/${product.id}`)).body.stock).toBe(0);
  });

  it('makes one order of the same Idempotency-Key sent 20 times at once', async () => {
    const product = await createProduct(host.url, { stock: 50 });
    const body = { items: [{ productId: product.id, quantity: 2 }], ...checkoutFor('Retry Rita') };
    const replies = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(host.url, 'POST', '/api/orders', { body, headers: { 'idempotency-key': 'checkout-7f3a9c1e-0001' } }),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(20).fill(202));
    expect(new Set(replies.map((reply) => reply.body.orderId)).size).toBe(1);

    const orderId = replies[0]!.body.orderId;
    await eventually(async () => (await call(host.url, 'GET', `/api/orders/${orderId}`)).body.status === 'pending');
    expect((await call(host.url, 'GET', `/api/products/${product.id}`)).body.stock).toBe(48);

    const reused = await call(host.url, 'POST', '/api/orders', {
      body: { ...body, items: [{ productId: product.id, quantity: 3 }] },
      headers: { 'idempotency-key': 'checkout-7f3a9c1e-0001' },
    });
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
  });
});
