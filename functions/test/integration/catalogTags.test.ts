import { describe, expect, it } from 'vitest';
import { ADMIN, call, createProduct, useHost } from '../support/localHost.js';

describe('GET /api/tags on the local host', () => {
  const host = useHost({ SEED_CATALOG: 'false' });

  it('lists the tags of the whole catalog, not of one page of it, each once and sorted', async () => {
    // More products than any catalog page holds, the last one in name order the only one tagged "vinyl".
    for (let i = 0; i < 101; i++) await createProduct(host.url, { name: `Aa Lamp ${String(i).padStart(3, '0')}`, tags: ['home', 'light'] });
    const sleeve = await createProduct(host.url, { name: 'Zz Record Sleeve', tags: ['Vinyl', 'home'] });

    const listed = await call(host.url, 'GET', '/api/tags');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({ items: ['home', 'light', 'vinyl'] });

    // Unchanged catalog: 304 on the ETag; a deleted product takes its tags along.
    const etag = listed.headers.get('etag')!;
    expect((await call(host.url, 'GET', '/api/tags', { headers: { 'If-None-Match': etag } })).status).toBe(304);
    expect((await call(host.url, 'DELETE', `/api/manage/products/${sleeve.id}`, { headers: ADMIN })).status).toBe(204);
    const after = await call(host.url, 'GET', '/api/tags', { headers: { 'If-None-Match': etag } });
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ items: ['home', 'light'] });
  });
});
