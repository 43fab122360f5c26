import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES } from '../../src/domain/images.js';
import { MAX_BODY_BYTES } from '../../src/http/types.js';
import { TINY_PNG } from '../support/images.js';
import { loginCookie } from '../support/login.js';
import { CHECKOUT, TEST_CARDS } from '../support/checkout.js';
import type { CaughtMail } from '../support/mailCatcher.js';
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

  it('catches every email the store sends in a mail catcher whose page it printed: a cancel, with its reason and order link', async () => {
    expect(stack().output()).toMatch(/Emails the store sends: http:\/\/127\.0\.0\.1:\d+/);
    const mailBase = stack().mailBase!;
    const page = await fetch(mailBase, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/MailDev/i);
    const { items } = (await (await fetch(`${stack().base}/api/products?limit=1`)).json()) as { items: Array<{ id: string }> };
    const customer = { name: 'Ada <i>Lovelace</i>', email: 'ada@example.com' };
    const placing = await fetch(`${stack().base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ productId: items[0]!.id, quantity: 1 }], ...CHECKOUT, customer }),
    });
    const order = (await placing.json()) as { orderId: string; number: string; version: number };
    // The employee cancels the order as the board shows it once the makeline has taken its stock.
    const current = async () => (await (await fetch(`${stack().base}/api/orders/${order.orderId}`)).json()) as { status: string; version: number };
    await expect.poll(async () => (await current()).status).toBe('pending');
    const { version } = await current();
    const cancel = await fetch(`${stack().base}/api/manage/orders/${order.orderId}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: loginCookie(['admin']) },
      body: JSON.stringify({ reason: 'Address is outside our delivery area.', version }),
    });
    const cancelled = await cancel.json();
    expect(cancel.status, JSON.stringify(cancelled)).toBe(200);
    expect(cancelled).not.toHaveProperty('notices');

    const ofOrder = (mail: CaughtMail) => mail.headers['message-id'] === `<${order.orderId}.cancelled@bestbuy.localhost>`;
    let mails: CaughtMail[] = [];
    await expect.poll(async () => (mails = ((await (await fetch(`${mailBase}/api/email`)).json()) as CaughtMail[]).filter(ofOrder)).length, { timeout: 15_000 }).toBe(1);
    const [mail] = mails;
    expect(mail!.subject).toBe(`Order ${order.number} was cancelled`);
    expect(mail!.text).toContain('Address is outside our delivery area.');
    expect(mail!.text).toContain(`${stack().base}/orders/${order.orderId}`);
    expect(mail!.html).toContain('Ada &#60;i&#62;Lovelace&#60;/i&#62;');
  });

  it('mails the customer a confirmation once paid, a notice for a declined card, and word once the order is complete', async () => {
    const mailBase = stack().mailBase!;
    const { items } = (await (await fetch(`${stack().base}/api/products?limit=1`)).json()) as { items: Array<{ id: string }> };
    const place = async (card: (typeof TEST_CARDS)[keyof typeof TEST_CARDS]) => {
      const reply = await fetch(`${stack().base}/api/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items: [{ productId: items[0]!.id, quantity: 1 }], ...CHECKOUT, payment: { card } }),
      });
      expect(reply.status).toBe(202);
      return (await reply.json()) as { orderId: string; number: string };
    };
    const mailOf = async (orderId: string, kind: string) => {
      const ofOrder = (mail: CaughtMail) => mail.headers['message-id'] === `<${orderId}.${kind}@bestbuy.localhost>`;
      let mails: CaughtMail[] = [];
      await expect.poll(async () => (mails = ((await (await fetch(`${mailBase}/api/email`)).json()) as CaughtMail[]).filter(ofOrder)).length, { timeout: 15_000 }).toBe(1);
      return mails[0]!;
    };

    const paid = await place(TEST_CARDS.success);
    const confirmation = await mailOf(paid.orderId, 'confirmation');
    expect(confirmation.subject).toBe(`Order ${paid.number} confirmed`);
    expect(confirmation.text).toContain(`${stack().base}/orders/${paid.orderId}`);

    const declined = await place(TEST_CARDS.declined);
    const failed = await mailOf(declined.orderId, 'payment_failed');
    expect(failed.subject).toBe(`Payment for order ${declined.number} did not go through`);
    expect(failed.text).toContain('Your card was declined.');

    // An employee moves the paid order on, at the version the board shows, though its confirmation was recorded meanwhile.
    const admin = { 'content-type': 'application/json', cookie: loginCookie(['admin']) };
    const current = async () => (await (await fetch(`${stack().base}/api/manage/orders/${paid.orderId}`, { headers: admin })).json()) as { status: string; version: number };
    await expect.poll(async () => (await current()).status).toBe('pending');
    for (const to of ['processing', 'completed']) {
      const moved = await fetch(`${stack().base}/api/manage/orders/${paid.orderId}/transitions`, { method: 'POST', headers: admin, body: JSON.stringify({ to, version: (await current()).version }) });
      expect(moved.status, await moved.clone().text()).toBe(200);
    }
    expect((await mailOf(paid.orderId, 'completed')).subject).toBe(`Order ${paid.number} is complete`);
  });

  it('stops everything on Ctrl-C', async () => {
    expect(await stack().stop('SIGINT')).toBe(0);
    await expect(fetch(`${stack().base}/`)).rejects.toThrow();
  });
});
