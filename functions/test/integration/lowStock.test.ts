import { describe, expect, it } from 'vitest';
import { CHECKOUT } from '../support/checkout.js';
import { ADMIN, allOrders, call, createProduct, eventually, principalHeader, useHost } from '../support/localHost.js';

/** Issue #14: products running low on the overview, and restocking them in one action. */

const errorOf = (code: string) => ({ error: { code, message: expect.any(String), details: expect.any(Array) } });
const stockOf = async (base: string, id: string) => (await call(base, 'GET', `/api/products/${id}`)).body.stock as number;
const restock = (base: string, id: string, body: unknown, headers: Record<string, string> = ADMIN) =>
  call(base, 'POST', `/api/manage/products/${id}/restock`, { headers, body });

describe('low stock and restocking', () => {
  const host = useHost({ SEED_CATALOG: 'false', LOW_STOCK_THRESHOLD: '3', RESTOCK_QUANTITY: '7' });

  it('lists on the overview the products below the threshold, fewest first, with the restock quantity', async () => {
    const two = await createProduct(host.url, { name: 'Two Left Lamp', stock: 2 });
    const none = await createProduct(host.url, { name: 'Sold Out Lamp', stock: 0 });
    await createProduct(host.url, { name: 'Plenty Lamp', stock: 3 });
    const { status, body } = await call(host.url, 'GET', '/api/manage/overview', { headers: ADMIN });
    expect(status).toBe(200);
    expect(body.lowStock).toMatchObject({ threshold: 3, restockQuantity: 7 });
    const ours = body.lowStock.products.filter((product: { name: string }) => product.name.endsWith('Lamp'));
    expect(ours).toEqual([
      { id: none.id, name: 'Sold Out Lamp', stock: 0 },
      { id: two.id, name: 'Two Left Lamp', stock: 2 },
    ]);
  });

  it('restocks one product by the quantity asked, bumps its version, audits who did it, and drops it from the list', async () => {
    const product = await createProduct(host.url, { name: 'Restocked Kettle', stock: 1 });
    const reply = await restock(host.url, product.id, { quantity: 7 });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ id: product.id, stock: 8, version: product.version + 1 });
    expect(await stockOf(host.url, product.id)).toBe(8);
    const overview = await call(host.url, 'GET', '/api/manage/overview', { headers: ADMIN });
    expect(overview.body.lowStock.products.map((low: { id: string }) => low.id)).not.toContain(product.id);
    const audit = await call(host.url, 'GET', '/api/manage/audit?limit=20', { headers: ADMIN });
    expect(audit.body.items.find((entry: { action: string; target: string }) => entry.action === 'product.restock' && entry.target === product.id)).toMatchObject({
      actor: { userDetails: 'tester@example.com' },
      before: { stock: 1 },
      after: { stock: 8 },
    });
  });

  it('refuses a bad quantity, an unknown product, too much stock and a non-employee, changing nothing', async () => {
    const product = await createProduct(host.url, { name: 'Guarded Toaster', stock: 1 });
    for (const body of [{ quantity: 0 }, { quantity: -3 }, { quantity: 1.5 }, { quantity: '5' }, {}, { quantity: 2, version: 1 }, { quantity: 10_001 }]) {
      const reply = await restock(host.url, product.id, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body).toEqual(errorOf('validation_failed'));
    }
    const unknown = await restock(host.url, 'no-such-product', { quantity: 1 });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(errorOf('product_not_found'));
    const full = await createProduct(host.url, { name: 'Full Shelf', stock: 1_000_000 });
    const tooMuch = await restock(host.url, full.id, { quantity: 1 });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body).toEqual(errorOf('stock_limit'));
    expect(await stockOf(host.url, full.id)).toBe(1_000_000);
    const customer = await restock(host.url, product.id, { quantity: 1 }, { 'x-ms-client-principal': principalHeader([]) });
    expect(customer.status).toBe(403);
    expect((await restock(host.url, product.id, { quantity: 1 }, {})).status).toBe(401);
    expect(await stockOf(host.url, product.id)).toBe(1);
  });

  it('loses no sale and no restock when orders and restocks meet on one product', async () => {
    const product = await createProduct(host.url, { name: 'Busy Fan', stock: 40 });
    const orders = Array.from({ length: 30 }, () => call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT } }));
    const restocks = Array.from({ length: 10 }, () => restock(host.url, product.id, { quantity: 5 }));
    const [placed, restocked] = await Promise.all([Promise.all(orders), Promise.all(restocks)]);
    expect(placed.every((reply) => reply.status === 202)).toBe(true);
    expect(restocked.every((reply) => reply.status === 200)).toBe(true);
    const ids = new Set(placed.map((reply) => reply.body.orderId as string));
    await eventually(async () => (await allOrders(host.url, 'status=pending')).filter((order) => ids.has(order.orderId)).length === 30, 20_000, 100);
    expect(await stockOf(host.url, product.id)).toBe(40 - 30 + 10 * 5);
  });
});
