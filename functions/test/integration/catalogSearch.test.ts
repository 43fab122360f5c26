import { describe, expect, it } from 'vitest';
import { ADMIN, call, createProduct, useHost } from '../support/localHost.js';

describe('GET /api/products?q= on the local host', () => {
  const host = useHost({ SEED_CATALOG: 'false' });

  it('finds a word in descriptions, any case, and says how many products match in all', async () => {
    await createProduct(host.url, { name: 'Studio Monitor', description: 'Flat response for the MIXING desk.' });
    await createProduct(host.url, { name: 'Mixing Console', description: 'Eight channels.' });
    const kettle = await createProduct(host.url, { name: 'Kettle', description: 'Boils water.' });
    await createProduct(host.url, { name: 'Desk Lamp', description: 'Light.', tags: ['mixing'] });

    const first = await call(host.url, 'GET', '/api/products?q=mixing&limit=2');
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(3);
    expect(first.body.items.map((product: { name: string }) => product.name)).toEqual(['Desk Lamp', 'Mixing Console']);
    const second = await call(host.url, 'GET', `/api/products?q=mixing&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ total: 3, nextCursor: null });
    expect(second.body.items.map((product: { name: string }) => product.name)).toEqual(['Studio Monitor']);

    // An edit that puts the word in a description counts at once; the whole catalog counts without q.
    const edited = await call(host.url, 'PUT', `/api/manage/products/${kettle.id}`, {
      headers: ADMIN,
      body: { name: 'Kettle', description: 'Quiet enough for a mixing room.', priceCents: 1999, stock: 10, tags: ['test'], version: kettle.version },
    });
    expect(edited.status).toBe(200);
    expect((await call(host.url, 'GET', '/api/products?q=MIXING&limit=2')).body.total).toBe(4);
    expect((await call(host.url, 'GET', '/api/products?limit=1')).body.total).toBe(4);
    expect((await call(host.url, 'GET', '/api/products?q=nothing-like-this')).body).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('sorts a search by price either way and newest first, and refuses a sort it does not know', async () => {
    const names = ['Sortable Fan', 'Sortable Heater', 'Sortable Radio'];
    for (const [n, name] of names.entries()) await createProduct(host.url, { name, priceCents: [3000, 1000, 2000][n] });
    const order = async (sort: string) => {
      const page = await call(host.url, 'GET', `/api/products?q=sortable&sort=${sort}&limit=2`);
      expect(page.status, sort).toBe(200);
      const next = await call(host.url, 'GET', `/api/products?q=sortable&sort=${sort}&limit=2&cursor=${page.body.nextCursor}`);
      return [...page.body.items, ...next.body.items].map((product: { name: string }) => product.name.replace('Sortable ', ''));
    };
    expect(await order('price_asc')).toEqual(['Heater', 'Radio', 'Fan']);
    expect(await order('price_desc')).toEqual(['Fan', 'Radio', 'Heater']);
    expect(await order('newest')).toEqual(['Radio', 'Heater', 'Fan']);
    expect(await order('name')).toEqual(['Fan', 'Heater', 'Radio']);
    const wrong = await call(host.url, 'GET', '/api/products?q=sortable&sort=cheapest');
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.details[0]).toMatchObject({ path: 'sort', message: 'must be one of name, price_asc, price_desc, newest' });
  });
});
