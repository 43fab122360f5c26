import { describe, expect, it } from 'vitest';
import { CHECKOUT } from '../support/checkout.js';
import { ADMIN, allOrders, call, createProduct, eventually, useHost } from '../support/localHost.js';

const today = () => new Date().toISOString().slice(0, 10);

/** Places `count` orders for one unit of the product; answers their ids once every one is pending. */
async function pendingOrders(base: string, productId: string, count: number, customerName = CHECKOUT.customer.name): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const placed = await call(base, 'POST', '/api/orders', { body: { items: [{ productId, quantity: 1 }], ...CHECKOUT, customer: { ...CHECKOUT.customer, name: customerName } } });
    expect(placed.status).toBe(202);
    ids.push(placed.body.orderId);
  }
  await eventually(async () => (await allOrders(base, 'status=pending')).filter((order) => ids.includes(order.orderId)).length === count);
  return ids;
}

/** The CSV's records, split on CRLF (line breaks inside a quoted cell are LF alone). */
const records = (csv: string) => csv.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);

describe('employees acting on many orders, and exports, over HTTP', () => {
  const host = useHost();

  it('starts many orders in one request, each decided alone, and the board and audit log show each', async () => {
    const product = await createProduct(host.url, { stock: 50 });
    const ids = await pendingOrders(host.url, product.id, 3);
    const board = await allOrders(host.url, 'status=pending');
    const versions = ids.map((orderId) => ({ orderId, version: board.find((order) => order.orderId === orderId)!.version }));
    versions[1]!.version -= 1; // seen before the makeline's write: stale

    const reply = await call(host.url, 'POST', '/api/manage/orders/bulk', { headers: ADMIN, body: { to: 'processing', orders: versions } });
    expect(reply.status).toBe(200);
    expect(reply.body.results.map((result: { outcome: string }) => result.outcome)).toEqual(['done', 'refused', 'done']);
    expect(reply.body.results[1]).toMatchObject({ orderId: ids[1], code: 'stale_version' });

    const statuses = new Map((await allOrders(host.url)).map((order) => [order.orderId, order.status]));
    expect(ids.map((id) => statuses.get(id))).toEqual(['processing', 'pending', 'processing']);
    const audit = await call(host.url, 'GET', '/api/manage/audit?limit=10', { headers: ADMIN });
    expect(audit.body.items.filter((entry: { action: string }) => entry.action === 'order.transition').map((entry: { target: string }) => entry.target).sort()).toEqual([ids[0], ids[2]].sort());
  });

  it('refuses a bulk cancel without a reason, and changes nothing', async () => {
    const product = await createProduct(host.url, { stock: 5 });
    const [id] = await pendingOrders(host.url, product.id, 1);
    const reply = await call(host.url, 'POST', '/api/manage/orders/bulk', { headers: ADMIN, body: { to: 'cancelled', orders: [{ orderId: id, version: 2 }] } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.details.map((detail: { path: string }) => detail.path)).toContain('reason');
    expect((await allOrders(host.url, 'status=pending')).some((order) => order.orderId === id)).toBe(true);
  });

  it('exports the orders of a range as CSV, streamed, every order once, a customer\'s formula made text', async () => {
    const product = await createProduct(host.url, { stock: 500, name: 'Export Lamp' });
    const ids = await pendingOrders(host.url, product.id, 230, '=HYPERLINK("http://evil.example")');
    const response = await fetch(`${host.url}/api/manage/exports/orders?from=${today()}&to=${today()}`, { headers: ADMIN });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="orders-${today()}-to-${today()}.csv"`);
    expect(response.headers.get('transfer-encoding')).toBe('chunked'); // sent as read, never sized whole first
    const lines = records(await response.text());
    expect(lines[0]).toMatch(/^number,order id,placed at,status,customer,/);
    const exported = lines.slice(1).filter((line) => line.includes('Export Lamp'));
    expect(exported).toHaveLength(230);
    expect(new Set(exported.map((line) => line.split(',')[1]))).toEqual(new Set(ids));
    expect(exported[0]).toContain(`,pending,"'=HYPERLINK(""http://evil.example"")",`);
  });

  it('exports nothing but the header for a range with no orders, and refuses a range it cannot read', async () => {
    const empty = await fetch(`${host.url}/api/manage/exports/orders?from=2020-01-01&to=2020-01-31`, { headers: ADMIN });
    expect(records(await empty.text())).toHaveLength(1);
    for (const [query, field] of [['from=2026-02-01&to=2026-01-01', 'to'], ['from=2024-01-01&to=2026-01-01', 'to'], ['from=yesterday&to=2026-01-01', 'from'], ['to=2026-01-01', 'from']]) {
      const refused = await call(host.url, 'GET', `/api/manage/exports/orders?${query}`, { headers: ADMIN });
      expect(refused.status, query).toBe(400);
      expect(refused.body.error.details.map((detail: { path: string }) => detail.path), query).toContain(field);
    }
    expect((await call(host.url, 'GET', `/api/manage/exports/orders?from=${today()}&to=${today()}`)).status).toBe(401);
  });

  it('exports the whole catalog as CSV, a row per product', async () => {
    const created = [await createProduct(host.url, { name: 'Catalog Row A', priceCents: 1250 }), await createProduct(host.url, { name: 'Catalog Row B' })];
    const response = await fetch(`${host.url}/api/manage/exports/products`, { headers: ADMIN });
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="products.csv"');
    const lines = records(await response.text());
    expect(lines[0]).toBe('id,name,price (USD),stock,tags,description');
    expect(lines.find((line) => line.startsWith(`${created[0]!.id},`))).toBe(`${created[0]!.id},Catalog Row A,12.50,10,test,A lamp for tests.`);
    expect(lines.some((line) => line.startsWith(`${created[1]!.id},Catalog Row B,`))).toBe(true);
  });
});
