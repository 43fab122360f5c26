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
});
