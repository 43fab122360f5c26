import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES } from '../../src/domain/images.js';
import { MAX_BODY_BYTES } from '../../src/http/types.js';
import { TINY_PNG } from '../support/images.js';
import { loginCookie } from '../support/login.js';
import { useStack } from '../support/storeStack.js';

/** A body sent in 64 kB chunks without a Content-Length, as a client streaming an upload would. */
function streamed(bytes: Buffer): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, (offset += 64 * 1024)));
    },
  });
}

describe('npm start: the store behind the real Static Web Apps CLI', () => {
  const stack = useStack();

  it('serves the web app and proxies the API, with the seeded catalog', async () => {
    const page = await fetch(`${stack().base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('BestBuy Store');
    const products = await fetch(`${stack().base}/api/products?limit=100`);
    expect(products.status).toBe(200);
    const { items } = (await products.json()) as { items: unknown[] };
    expect(items.length).toBeGreaterThanOrEqual(12);
    const image = await fetch(`${stack().base}/images/aurora-headphones.svg`);
    expect(image.status).toBe(200);
  });

  it('lets only a signed-in admin through to /api/manage, via the login emulator', async () => {
    const anonymous = await fetch(`${stack().base}/api/manage/orders`, { redirect: 'manual' });
    expect([302, 401]).toContain(anonymous.status);
    // The emulator treats a missing role like a missing login (Azure answers 403); either way, no entry.
    const shopper = await fetch(`${stack().base}/api/manage/orders`, { headers: { cookie: loginCookie([]) }, redirect: 'manual' });
    expect([302, 401, 403]).toContain(shopper.status);
    const admin = await fetch(`${stack().base}/api/manage/orders`, { headers: { cookie: loginCookie(['admin']) } });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toHaveProperty('items');
  });

  it('answers a body over the limit with a 413 JSON error through the CLI, sent whole or streamed', async () => {
    const order = Buffer.from(JSON.stringify({ items: [], padding: ' '.repeat(MAX_BODY_BYTES) }));
    const picture = Buffer.concat([TINY_PNG, Buffer.alloc(MAX_IMAGE_BYTES)]);
    const sends: Array<[string, string, Record<string, string>, Buffer]> = [
      ['an order', '/api/orders', { 'content-type': 'application/json' }, order],
      ['a picture', '/api/manage/images', { 'content-type': 'image/png', cookie: loginCookie(['admin']) }, picture],
    ];
    for (const [what, path, headers, body] of sends) {
      for (const how of ['whole', 'streamed'] as const) {
        const init = how === 'whole' ? { body } : { body: streamed(body), duplex: 'half' };
        const reply = await fetch(`${stack().base}${path}`, { method: 'POST', headers, ...init } as RequestInit);
        const text = await reply.text();
        expect(reply.status, `${what}, ${how}: ${text}`).toBe(413);
        expect(JSON.parse(text)).toMatchObject({ error: { code: 'payload_too_large' } });
      }
    }
  });

  it('stops everything on Ctrl-C', async () => {
    expect(await stack().stop('SIGINT')).toBe(0);
    await expect(fetch(`${stack().base}/`)).rejects.toThrow();
  });
});
