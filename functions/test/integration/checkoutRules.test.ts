import { describe, expect, it } from 'vitest';
import { ADMIN, call, createProduct, eventually, useHost } from '../support/localHost.js';
import { CHECKOUT } from '../support/checkout.js';

describe('checkout details, order numbers and cancelling, over HTTP on the local host', () => {
  const host = useHost({ SEED_CATALOG: 'false' });

  const stockOf = async (productId: string) => (await call(host.url, 'GET', `/api/products/${productId}`)).body.stock as number;
  const place = (productId: string, quantity = 1, headers: Record<string, string> = {}) =>
    call(host.url, 'POST', '/api/orders', { headers, body: { items: [{ productId, quantity }], ...CHECKOUT } });
  const statusOf = async (orderId: string) => (await call(host.url, 'GET', `/api/orders/${orderId}`)).body.status as string;
  const becomes = (orderId: string, status: string) => eventually(async () => (await statusOf(orderId)) === status);
  const search = (number: string, status = '') =>
    call(host.url, 'GET', `/api/manage/orders?number=${encodeURIComponent(number)}${status ? `&status=${status}` : ''}`, { headers: ADMIN });
  const audited = async (orderId: string) =>
    ((await call(host.url, 'GET', '/api/manage/audit?limit=100', { headers: ADMIN })).body.items as Array<{ action: string; target: string; actor: { userDetails?: string }; after: { number?: string; reason?: string } }>)
      .filter((entry) => entry.target === orderId);

  it('stores the email and address with the order, trimmed, and shows them back', async () => {
    const product = await createProduct(host.url);
    const placed = await call(host.url, 'POST', '/api/orders', {
      body: { items: [{ productId: product.id, quantity: 1 }], customer: CHECKOUT.customer, shipping: { ...CHECKOUT.shipping, city: '  London ' } },
    });
    expect(placed.status).toBe(202);
    const stored = await call(host.url, 'GET', `/api/manage/orders/${placed.body.orderId}`, { headers: ADMIN });
    expect(stored.body.shipping).toEqual({ ...CHECKOUT.shipping, city: 'London' });
    expect(stored.body.customer).toEqual(CHECKOUT.customer);
  });

  it('refuses an order without an email or a complete address, naming each field, and takes nothing', async () => {
    const product = await createProduct(host.url, { stock: 3 });
    const { postalCode: _missing, ...partial } = CHECKOUT.shipping;
    const refused = await call(host.url, 'POST', '/api/orders', {
      body: { items: [{ productId: product.id, quantity: 1 }], customer: { name: 'Ada' }, shipping: { ...partial, city: ' ' } },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('validation_failed');
    const paths = (refused.body.error.details as Array<{ path: string }>).map((detail) => detail.path).sort();
    expect(paths).toEqual(['customer.email', 'shipping.city', 'shipping.postalCode']);
    expect(await stockOf(product.id)).toBe(3);
    expect((await call(host.url, 'GET', '/api/manage/orders?limit=100', { headers: ADMIN })).body.items.some((order: { items: Array<{ productId: string }> }) => order.items[0]?.productId === product.id)).toBe(false);
  });

  it('refuses a name or address line that is more than one line, and takes nothing', async () => {
    const product = await createProduct(host.url, { stock: 3 });
    // A line break of any kind: control characters, and Unicode's own line and paragraph separators.
    const breaks = [
      { customer: { ...CHECKOUT.customer, name: 'Ada\nLovelace' }, shipping: CHECKOUT.shipping, path: 'customer.name' },
      { customer: { ...CHECKOUT.customer, name: 'Ada\u0000' }, shipping: CHECKOUT.shipping, path: 'customer.name' },
      { customer: CHECKOUT.customer, shipping: { ...CHECKOUT.shipping, street: '1 Main St\u2028Apt 2' }, path: 'shipping.street' },
      { customer: CHECKOUT.customer, shipping: { ...CHECKOUT.shipping, city: 'London\u2029' + 'x' }, path: 'shipping.city' },
    ];
    for (const { customer, shipping, path } of breaks) {
      const refused = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], customer, shipping } });
      expect(refused.status, path).toBe(400);
      expect(refused.body.error.details.map((detail: { path: string }) => detail.path), path).toEqual([path]);
    }
    expect(await stockOf(product.id)).toBe(3);
  });

  it('refuses more than MAX_UNITS_PER_LINE of a product, or more than MAX_ORDER_LINES products, naming the line, and takes nothing', async () => {
    const products = await Promise.all(Array.from({ length: 21 }, () => createProduct(host.url, { stock: 50 })));
    const [first, second] = products;
    const tooMany = await call(host.url, 'POST', '/api/orders', {
      body: { items: [{ productId: first!.id, quantity: 10 }, { productId: second!.id, quantity: 11 }], ...CHECKOUT },
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.code).toBe('order_too_large');
    expect(tooMany.body.error.message).toContain('line 2: at most 10 of a product per order, got 11');
    expect(tooMany.body.error.details).toEqual([expect.objectContaining({ path: 'items.1.quantity', productId: second!.id })]);
    const tooWide = await call(host.url, 'POST', '/api/orders', { body: { items: products.map((product) => ({ productId: product.id, quantity: 1 })), ...CHECKOUT } });
    expect(tooWide.status).toBe(400);
    expect(tooWide.body.error.details).toEqual([expect.objectContaining({ path: 'items', message: 'at most 20 different products per order; got 21' })]);
    for (const product of products) expect(await stockOf(product.id)).toBe(50);
    // At the caps exactly, the order goes through.
    const atCaps = await call(host.url, 'POST', '/api/orders', { body: { items: products.slice(0, 20).map((product) => ({ productId: product.id, quantity: 10 })), ...CHECKOUT } });
    expect(atCaps.status).toBe(202);
  });

  it('gives each order a readable number, the same one again for the same Idempotency-Key', async () => {
    const product = await createProduct(host.url);
    const key = { 'idempotency-key': `number-test-${Date.now()}` };
    const [first, retry] = [await place(product.id, 1, key), await place(product.id, 1, key)];
    expect(first.body.number).toMatch(/^BB-[2-9A-HJ-NP-Z]{6}$/);
    expect(retry.body).toMatchObject({ orderId: first.body.orderId, number: first.body.number });
    const other = await place(product.id);
    expect(other.body.number).not.toBe(first.body.number);
    expect((await call(host.url, 'GET', `/api/orders/${first.body.orderId}`)).body.number).toBe(first.body.number);
  });

  it('lets employees find an order by its number in any case, with or without "BB-"', async () => {
    const product = await createProduct(host.url);
    const placed = await place(product.id);
    const number: string = placed.body.number;
    for (const typed of [number, number.toLowerCase(), number.slice(3), ` ${number.slice(3).toLowerCase()} `]) {
      const found = await search(typed);
      expect(found.status, typed).toBe(200);
      expect(found.body.items.map((order: { orderId: string }) => order.orderId), typed).toEqual([placed.body.orderId]);
    }
    await becomes(placed.body.orderId, 'pending');
    expect((await search(number, 'received')).body.items).toEqual([]);
    expect((await search(number, 'pending')).body.items).toHaveLength(1);
    const nonsense = await search('BB-0O1I00');
    expect(nonsense.status).toBe(400);
    expect(nonsense.body.error.details[0]).toMatchObject({ path: 'number' });
  });

  it('lets the customer cancel a pending order once, returning its stock, and audits it with the number', async () => {
    const product = await createProduct(host.url, { stock: 5 });
    const placed = await place(product.id, 2);
    await becomes(placed.body.orderId, 'pending');
    expect(await stockOf(product.id)).toBe(3);
    const cancel = `/api/orders/${placed.body.orderId}/cancel`;
    const cancelled = await call(host.url, 'POST', cancel);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
    expect(await stockOf(product.id)).toBe(5);
    const again = await call(host.url, 'POST', cancel);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_cancellable');
    expect(again.body.error.message).toContain('already cancelled');
    expect(await stockOf(product.id)).toBe(5);
    // Paid for, so the cancel refunded it: both recorded once (in the same millisecond, maybe).
    const entries = await audited(placed.body.orderId);
    expect(entries).toHaveLength(2);
    expect(entries).toEqual(expect.arrayContaining([
      expect.objectContaining({ action: 'order.refund', actor: expect.objectContaining({ userDetails: 'customer (order link)' }), after: expect.objectContaining({ payment: 'refunded', amountCents: placed.body.totalCents }) }),
      expect.objectContaining({ action: 'order.cancel', actor: expect.objectContaining({ userDetails: 'customer (order link)' }), after: expect.objectContaining({ number: placed.body.number }) }),
    ]));
    expect(cancelled.body.payment).toMatchObject({ status: 'refunded', refund: { amountCents: placed.body.totalCents } });
  });

  it('refuses to cancel an order being prepared, an unknown order, or a cancel another site could send', async () => {
    const product = await createProduct(host.url, { stock: 5 });
    const placed = await place(product.id, 1);
    await becomes(placed.body.orderId, 'pending');
    const pending = (await call(host.url, 'GET', `/api/orders/${placed.body.orderId}`)).body;
    await call(host.url, 'POST', `/api/manage/orders/${placed.body.orderId}/transitions`, { headers: ADMIN, body: { to: 'processing', version: pending.version } });
    const refused = await call(host.url, 'POST', `/api/orders/${placed.body.orderId}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toContain('being prepared');
    expect(await statusOf(placed.body.orderId)).toBe('processing');
    expect((await call(host.url, 'POST', '/api/orders/no-such-order/cancel')).status).toBe(404);
    const form = await call(host.url, 'POST', `/api/orders/${placed.body.orderId}/cancel`, { headers: { 'content-type': 'text/plain' }, raw: '' });
    expect(form.status).toBe(415);
  });

  it('needs an employee’s reason and the version they saw, and shows the reason to the customer', async () => {
    const product = await createProduct(host.url, { stock: 5 });
    const placed = await place(product.id, 1);
    await becomes(placed.body.orderId, 'pending');
    const pending = (await call(host.url, 'GET', `/api/orders/${placed.body.orderId}`)).body;
    const cancel = `/api/manage/orders/${placed.body.orderId}/cancel`;
    for (const body of [{ version: pending.version }, { reason: ' ', version: pending.version }, { reason: 'Out of area.' }, { reason: 'x'.repeat(301), version: pending.version }, { reason: '\u0000\u0000\u0000', version: pending.version }, { reason: 'Out\u0007 of area.', version: pending.version }]) {
      const refused = await call(host.url, 'POST', cancel, { headers: ADMIN, body });
      expect(refused.status, JSON.stringify(body)).toBe(400);
    }
    expect((await call(host.url, 'POST', cancel, { headers: ADMIN, body: { reason: 'Out of area.', version: pending.version - 1 } })).body.error.code).toBe('stale_version');
    expect((await call(host.url, 'POST', cancel, { body: { reason: 'Out of area.', version: pending.version } })).status).toBe(401);
    expect(await statusOf(placed.body.orderId)).toBe('pending');

    // Lines of a textarea are welcome: the customer reads the reason as written.
    const done = await call(host.url, 'POST', cancel, { headers: ADMIN, body: { reason: '  We do not deliver to this address.\r\nSorry!  ', version: pending.version } });
    expect(done.status).toBe(200);
    const seen = (await call(host.url, 'GET', `/api/orders/${placed.body.orderId}`)).body;
    expect(seen.status).toBe('cancelled');
    expect(seen.history.at(-1).reason).toBe('We do not deliver to this address.\r\nSorry!');
    expect((await audited(placed.body.orderId)).find((entry) => entry.action === 'order.cancel')).toMatchObject({ action: 'order.cancel', after: { number: placed.body.number, reason: 'We do not deliver to this address.\r\nSorry!' } });
  });
});
