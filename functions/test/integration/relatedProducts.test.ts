import { describe, expect, it } from 'vitest';
import { call, createProduct, useHost } from '../support/localHost.js';

describe('related products over HTTP', () => {
  const host = useHost();

  it('answers the in-stock products sharing its tags, most shared first, never itself', async () => {
    const tag = `t${Date.now()}`;
    const lamp = await createProduct(host.url, { name: 'Lamp', tags: [tag, `${tag}-desk`] });
    const shade = await createProduct(host.url, { name: 'Shade', tags: [tag, `${tag}-desk`] });
    const bulb = await createProduct(host.url, { name: 'Bulb', tags: [tag] });
    await createProduct(host.url, { name: 'Sold out bulb', tags: [tag], stock: 0 });
    await createProduct(host.url, { name: 'Unrelated', tags: ['garden'] });
    const reply = await call(host.url, 'GET', `/api/products/${lamp.id}/related`);
    expect(reply.status).toBe(200);
    expect(reply.body.items.map((item: { id: string }) => item.id)).toEqual([shade.id, bulb.id]);
  });

  it('answers 404 for a product it does not have, and 400 for an id that could name none', async () => {
    expect((await call(host.url, 'GET', '/api/products/no-such-product/related')).body.error.code).toBe('product_not_found');
    expect((await call(host.url, 'GET', '/api/products/bad%20id/related')).status).toBe(400);
  });
});
