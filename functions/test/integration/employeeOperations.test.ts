import { describe, expect, it } from 'vitest';
import { allDeadLetters, makeDeadLetter } from '../support/deadLetters.js';
import { DEAD_LETTER_BODY_CHARS } from '../../src/functions/manageListDeadLetters.js';
import { noisePng, TINY_PNG } from '../support/images.js';
import { ADMIN, call, createProduct, eventually, useHost } from '../support/localHost.js';
import { CHECKOUT } from '../support/checkout.js';

const upload = (base: string, bytes: Buffer, contentType = 'image/png') =>
  call(base, 'POST', '/api/manage/images', { raw: bytes, headers: { ...ADMIN, 'content-type': contentType } });

describe('employee operations on the local host', () => {
  const host = useHost();

  it('stores an uploaded picture checked by its bytes and serves it to the storefront', async () => {
    const stored = await upload(host.url, TINY_PNG, 'application/octet-stream');
    expect(stored.status).toBe(201);
    expect(stored.body).toMatchObject({ contentType: 'image/png', url: `/api/images/${stored.body.id}` });

    const served = await fetch(`${host.url}${stored.body.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toContain('immutable');
    expect(Buffer.from(await served.arrayBuffer()).equals(TINY_PNG)).toBe(true);

    const product = await createProduct(host.url);
    const edited = await call(host.url, 'PUT', `/api/manage/products/${product.id}`, {
      headers: ADMIN,
      body: { name: 'Test Lamp', description: 'A lamp for tests.', priceCents: 1999, stock: 10, tags: ['test'], imageUrl: stored.body.url, version: product.version },
    });
    expect(edited.status).toBe(200);
    expect((await call(host.url, 'GET', `/api/products/${product.id}`)).body.imageUrl).toBe(stored.body.url);
  });

  it('refuses what is not a PNG or JPEG whatever it is called, and pictures over 2 MB', async () => {
    const script = await upload(host.url, Buffer.from('<svg onload="alert(1)"></svg>'), 'image/png');
    expect(script.status).toBe(415);
    expect(script.body.error.code).toBe('not_an_image');
    expect((await upload(host.url, Buffer.alloc(0))).status).toBe(400);

    const bigButAllowed = noisePng(740, 740); // 2.07 MB, just under the limit
    expect((await upload(host.url, bigButAllowed)).status).toBe(201);
    const tooBig = noisePng(800, 800); // 2.4 MB
    expect((await upload(host.url, tooBig)).status).toBe(413);
    expect((await fetch(`${host.url}/api/images/no-such-image`)).status).toBe(404);
  });

  it('lists dead letters with reason, count and time, replays one and discards another, both recorded', async () => {
    const replayed = await makeDeadLetter(host, 'poison-replay');
    const discarded = await makeDeadLetter(host, 'poison-discard');
    const { body: list } = await call(host.url, 'GET', '/api/manage/deadletters', { headers: ADMIN });
    const letter = list.items.find((item: { sequenceNumber: string }) => item.sequenceNumber === replayed);
    expect(letter).toMatchObject({ messageId: 'poison-replay', reason: 'MaxDeliveryCountExceeded', deliveryCount: 10 });
    expect(Number.isNaN(Date.parse(letter.deadLetteredTimeUtc))).toBe(false);

    expect((await call(host.url, 'POST', `/api/manage/deadletters/${replayed}/replay`, { headers: ADMIN })).status).toBe(200);
    expect((await call(host.url, 'DELETE', `/api/manage/deadletters/${discarded}`, { headers: ADMIN })).status).toBe(204);
    expect((await call(host.url, 'DELETE', `/api/manage/deadletters/${discarded}`, { headers: ADMIN })).status).toBe(404);

    // The replay really went back to the makeline: still garbage, so it is dead-lettered anew.
    await eventually(async () => {
      const { body } = await call(host.url, 'GET', '/api/manage/deadletters', { headers: ADMIN });
      return body.items.some((item: { messageId: string }) => item.messageId === `poison-replay/replay-${replayed}`);
    });
    const { body: audit } = await call(host.url, 'GET', '/api/manage/audit?limit=100', { headers: ADMIN });
    const actions = audit.items.map((entry: { action: string; target: string }) => `${entry.action} ${entry.target}`);
    expect(actions).toEqual(expect.arrayContaining([`deadletter.replay ${replayed}`, `deadletter.discard ${discarded}`]));
    const replayEntry = audit.items.find((entry: { action: string }) => entry.action === 'deadletter.replay');
    expect(replayEntry.before).toMatchObject({ sequenceNumber: replayed, messageId: 'poison-replay', reason: 'MaxDeliveryCountExceeded' });
  });

  it('lists dead letters a page at a time, each showing only the start of a large body', async () => {
    const large = JSON.stringify({ not: 'an order', padding: 'p'.repeat(2 * 1024 * 1024) });
    const made = [await makeDeadLetter(host, 'poison-page-1', large), await makeDeadLetter(host, 'poison-page-2'), await makeDeadLetter(host, 'poison-page-3')];
    const first = await call(host.url, 'GET', '/api/manage/deadletters?limit=2', { headers: ADMIN });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    expect(Buffer.byteLength(JSON.stringify(first.body))).toBeLessThan(3 * DEAD_LETTER_BODY_CHARS + 2000);

    const paged = await allDeadLetters(host.url, 2);
    expect(paged.map((letter) => letter.sequenceNumber)).toEqual((await allDeadLetters(host.url)).map((letter) => letter.sequenceNumber));
    expect(paged.filter((letter) => made.includes(letter.sequenceNumber)).map((letter) => letter.messageId)).toEqual(['poison-page-1', 'poison-page-2', 'poison-page-3']);
    const shortened = paged.find((letter) => letter.messageId === 'poison-page-1')!;
    expect(shortened.body).toBe(large.slice(0, DEAD_LETTER_BODY_CHARS));
    expect(shortened.bodyLength).toBe(large.length);
    expect(paged.find((letter) => letter.messageId === 'poison-page-2')).toMatchObject({ body: '{"not":"an order"}', bodyLength: 18 });
  });

  it('keeps an audit trail of who changed what, with before and after and the product’s name as it was, newest first', async () => {
    const product = await createProduct(host.url, { priceCents: 1999 });
    await call(host.url, 'PUT', `/api/manage/products/${product.id}`, {
      headers: ADMIN,
      body: { name: 'Test Lamp Deluxe', description: 'A lamp for tests.', priceCents: 2999, stock: 10, tags: ['test'], version: product.version },
    });
    expect((await call(host.url, 'DELETE', `/api/manage/products/${product.id}`, { headers: ADMIN })).status).toBe(204);
    const { body } = await call(host.url, 'GET', '/api/manage/audit?limit=3', { headers: ADMIN });
    const [deletion, update, create] = body.items;
    expect(deletion).toMatchObject({ action: 'product.delete', target: product.id, targetName: 'Test Lamp Deluxe' });
    expect(update).toMatchObject({ action: 'product.update', target: product.id, targetName: 'Test Lamp Deluxe', actor: { userDetails: 'tester@example.com' } });
    expect(update.before.priceCents).toBe(1999);
    expect(update.after.priceCents).toBe(2999);
    expect(create).toMatchObject({ action: 'product.create', target: product.id, targetName: 'Test Lamp', before: null });
    expect(Date.parse(update.at)).toBeGreaterThanOrEqual(Date.parse(create.at));
    expect(body.nextCursor).toEqual(expect.any(String));
  });

  it('gives the overview: orders per minute for the last hour, by status, queue depth and health', async () => {
    const product = await createProduct(host.url, { stock: 50 });
    for (let n = 0; n < 3; n++) {
      await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT } });
    }
    const minuteBefore = new Date().toISOString().slice(0, 16);
    const { status, body } = await call(host.url, 'GET', '/api/manage/overview', { headers: ADMIN });
    const minuteAfter = new Date().toISOString().slice(0, 16);
    expect(status).toBe(200);
    expect(body.ordersPerMinute).toHaveLength(60);
    expect([minuteBefore, minuteAfter]).toContain(body.ordersPerMinute.at(-1).minute);
    expect(body.ordersPerMinute.reduce((sum: number, entry: { count: number }) => sum + entry.count, 0)).toBeGreaterThanOrEqual(3);
    expect(Object.keys(body.ordersByStatus).sort()).toEqual(['awaiting_payment', 'cancelled', 'completed', 'pending', 'processing', 'received', 'rejected']);
    expect(body.queue).toEqual({ active: expect.any(Number), deadLettered: expect.any(Number) });
    expect(body.health.status).toBe('ok');
  });
});
