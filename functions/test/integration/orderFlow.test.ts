import { expect, it } from 'vitest';
import { describeOnEachStore } from '../support/storeModes.js';
import { ADMIN, call, createProduct, eventually, useHost } from '../support/localHost.js';
import { CHECKOUT } from '../support/checkout.js';

describeOnEachStore('an order, end to end on the local host', (store) => {
  const host = useHost(() => ({ SEED_CATALOG: 'false', ...store.settings() }));

  it('reaches pending in under 2 s, then completed by an employee, with every step timed', async () => {
    const product = await createProduct(host.url, { priceCents: 2500, stock: 5 });
    const placedAt = Date.now();
    const placed = await call(host.url, 'POST', '/api/orders', {
      body: { items: [{ productId: product.id, quantity: 2 }], ...CHECKOUT },
    });
    expect(placed.status).toBe(202);
    expect(placed.body.totalCents).toBe(5000);
    expect(placed.body.items[0]).toMatchObject({ productId: product.id, quantity: 2, unitPriceCents: 2500, name: 'Test Lamp' });
    expect(placed.headers.get('location')).toBe(`/api/orders/${placed.body.orderId}`);
    expect(placed.body.statusUrl).toBe(`/api/orders/${placed.body.orderId}`);

    const pending = await eventually(async () => {
      const reply = await call(host.url, 'GET', placed.body.statusUrl);
      return reply.body.status === 'pending' && reply.body;
    }, 2000, 20);
    expect(Date.now() - placedAt).toBeLessThan(2000);
    expect((await call(host.url, 'GET', `/api/products/${product.id}`)).body.stock).toBe(3);

    let version = pending.version;
    for (const to of ['processing', 'completed']) {
      const moved = await call(host.url, 'POST', `/api/manage/orders/${pending.orderId}/transitions`, {
        headers: ADMIN,
        body: { to, version },
      });
      expect(moved.status).toBe(200);
      version = moved.body.version;
    }
    const tracked = await call(host.url, 'GET', placed.body.statusUrl);
    expect(tracked.body.history.map((step: { status: string }) => step.status)).toEqual([
      'awaiting_payment',
      'received',
      'pending',
      'processing',
      'completed',
    ]);
    for (const step of tracked.body.history) expect(Number.isNaN(Date.parse(step.at))).toBe(false);
  });

  it('answers a matching If-None-Match with 304 and a changed order with 200', async () => {
    const product = await createProduct(host.url);
    const placed = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT } });
    const pending = await eventually(async () => {
      const reply = await call(host.url, 'GET', placed.body.statusUrl);
      return reply.body.status === 'pending' && reply;
    });
    const etag = pending.headers.get('etag')!;
    expect(etag).toBeTruthy();
    const unchanged = await call(host.url, 'GET', placed.body.statusUrl, { headers: { 'if-none-match': etag } });
    expect(unchanged.status).toBe(304);
    await call(host.url, 'POST', `/api/manage/orders/${placed.body.orderId}/transitions`, {
      headers: ADMIN,
      body: { to: 'processing', version: pending.body.version },
    });
    const changed = await call(host.url, 'GET', placed.body.statusUrl, { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.status).toBe('processing');
  });

  it('refuses illegal and stale transitions with 409 and gives stock back on cancel', async () => {
    const product = await createProduct(host.url, { stock: 4 });
    const placed = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 3 }], ...CHECKOUT } });
    const pending = await eventually(async () => {
      const reply = await call(host.url, 'GET', placed.body.statusUrl);
      return reply.body.status === 'pending' && reply.body;
    });
    const transitions = `/api/manage/orders/${pending.orderId}/transitions`;
    const illegal = await call(host.url, 'POST', transitions, { headers: ADMIN, body: { to: 'completed', version: pending.version } });
    expect(illegal.status).toBe(409);
    const stale = await call(host.url, 'POST', transitions, { headers: ADMIN, body: { to: 'processing', version: pending.version - 1 } });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('stale_version');
    expect((await call(host.url, 'GET', `/api/products/${product.id}`)).body.stock).toBe(1);

    // A cancel needs a reason, so it has a route of its own.
    const viaTransition = await call(host.url, 'POST', transitions, { headers: ADMIN, body: { to: 'cancelled', version: pending.version } });
    expect(viaTransition.status).toBe(409);
    expect(viaTransition.body.error.message).toContain('/cancel');
    const cancel = `/api/manage/orders/${pending.orderId}/cancel`;
    const cancelled = await call(host.url, 'POST', cancel, { headers: ADMIN, body: { reason: 'Customer asked by phone.', version: pending.version } });
    expect(cancelled.status).toBe(200);
    expect((await call(host.url, 'GET', `/api/products/${product.id}`)).body.stock).toBe(4);
    const again = await call(host.url, 'POST', cancel, { headers: ADMIN, body: { reason: 'Again.', version: cancelled.body.version } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_cancellable');
    expect((await call(host.url, 'GET', `/api/products/${product.id}`)).body.stock).toBe(4);
  });
});
