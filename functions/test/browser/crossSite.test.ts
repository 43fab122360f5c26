import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useChromium } from '../support/browser.js';
import { makeDeadLetter } from '../support/deadLetters.js';
import { freePort } from '../support/freePort.js';
import { orderNeverSent } from '../support/hostStore.js';
import { TINY_PNG } from '../support/images.js';
import { ADMIN, call, createProduct, useHost } from '../support/localHost.js';
import { signInThroughEmulator } from '../support/login.js';
import { useStack } from '../support/storeStack.js';

/**
 * Acceptance: a page on another origin cannot make a signed-in employee's browser change anything.
 * Such a page can send a form or a no-cors fetch (a urlencoded, multipart or text/plain body, with
 * its own Origin) without asking; the API refuses both, and never grants the preflight that
 * anything else needs.
 */

/** A page on another origin: each path is a page that, once loaded, sends one kind of request to `target`. */
function attackerPages(target: (path: string) => string): Record<string, string> {
  const form = (action: string, enctype: string) =>
    `<form method="POST" action="${action}" enctype="${enctype}"><input name="x" value="y"></form><script>document.forms[0].submit()</script>`;
  const fetches = (paths: string[]) => `<script>
    (async () => {
      for (const url of ${JSON.stringify(paths.map(target))}) {
        await fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{}' }).catch(() => {});
        await fetch(url, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: '{}' }).catch(() => {});
      }
      document.title = 'sent';
    })();</script>`;
  return {
    '/form-replay': form(target('/api/manage/deadletters/{sequenceNumber}/replay'), 'text/plain'),
    '/form-resend': form(target('/api/manage/orders/{orderId}/resend'), 'application/x-www-form-urlencoded'),
    '/fetch': fetches(['/api/manage/deadletters/{sequenceNumber}/replay', '/api/manage/orders/{orderId}/resend']),
  };
}

describe('a page on another origin, in Chromium, with an employee signed in through the Static Web Apps CLI', () => {
  const stack = useStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  const chromium = useChromium();
  let attacker: Server;
  let attackerBase: string;
  let ids: { sequenceNumber: string; orderId: string };

  beforeAll(async () => {
    const product = await createProduct(stack().apiBase);
    ids = {
      sequenceNumber: await makeDeadLetter({ url: stack().apiBase, dataDir: stack().dataDir }, 'poison-cross-site'),
      // Old enough that the outbox sweeper leaves it alone: only a resend could move it.
      orderId: await orderNeverSent(stack(), product.id, 3600),
    };
    const pages = attackerPages((path) => `${stack().base}${path.replace('{sequenceNumber}', ids.sequenceNumber).replace('{orderId}', ids.orderId)}`);
    // Another port on the same loopback address: another origin but the same site, so the browser
    // even sends the sign-in cookie along (SameSite does not stop it); only the API can say no.
    const port = await freePort();
    attacker = createServer((request, response) => {
      const page = pages[request.url ?? ''];
      response.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      response.end(page ? `<!doctype html><title>attacker</title>${page}` : '');
    });
    await new Promise<void>((ready) => attacker.listen(port, '127.0.0.1', ready));
    attackerBase = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise<void>((done) => (attacker ? attacker.close(() => done()) : done())));

  async function untouched() {
    const letters = (await call(stack().apiBase, 'GET', '/api/manage/deadletters?limit=100', { headers: ADMIN })).body.items;
    const order = (await call(stack().apiBase, 'GET', `/api/manage/orders/${ids.orderId}`, { headers: ADMIN })).body;
    return { letter: letters.some((letter: { sequenceNumber: string }) => letter.sequenceNumber === ids.sequenceNumber), status: order.status };
  }

  it('cannot replay a dead letter or resend an order with a form or a fetch, and the employee still can', async () => {
    const page = await chromium.open();
    await signInThroughEmulator(page, stack().base, { userDetails: 'kim.employee@bestbuy.example', roles: ['admin'], then: '/admin' });

    for (const [name, action] of [['/form-replay', '/replay'], ['/form-resend', '/resend']] as const) {
      const answer = page.waitForResponse((response) => response.url().endsWith(action));
      await page.goto(`${attackerBase}${name}`);
      const refused = await answer;
      expect(refused.status(), `${name}: ${await refused.text()}`).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'foreign_origin' } });
    }
    await page.goto(`${attackerBase}/fetch`);
    await page.waitForFunction(() => document.title === 'sent');
    // Long enough for a resent order to reach the makeline and leave `received`.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await untouched()).toEqual({ letter: true, status: 'received' });

    // The same signed-in browser on the store's own pages: the API takes its request.
    await page.goto(`${stack().base}/admin`);
    const replayed = await page.evaluate(
      async (path) => (await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' } })).status,
      `/api/manage/deadletters/${ids.sequenceNumber}/replay`,
    );
    expect(replayed).toBe(200);
    expect((await untouched()).letter).toBe(false);
  });
});

describe('changes on the local host: Content-Type and Origin', () => {
  const host = useHost();
  const replay = (sequenceNumber: string, headers: Record<string, string>) =>
    fetch(`${host.url}/api/manage/deadletters/${sequenceNumber}/replay`, { method: 'POST', headers: { ...ADMIN, ...headers } });

  it('refuses a change without application/json, body or not, with 415', async () => {
    const sequenceNumber = await makeDeadLetter(host, 'poison-content-type');
    for (const contentType of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const reply = await replay(sequenceNumber, contentType ? { 'content-type': contentType } : {});
      expect(reply.status, String(contentType)).toBe(415);
      expect(await reply.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
    }
    const discard = await fetch(`${host.url}/api/manage/deadletters/${sequenceNumber}`, { method: 'DELETE', headers: ADMIN });
    expect(discard.status).toBe(415);
    expect((await replay(sequenceNumber, { 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
  });

  it('refuses a change from a foreign Origin with 403, and takes one from its own, as Static Web Apps forwards it', async () => {
    const sequenceNumber = await makeDeadLetter(host, 'poison-origin');
    const json = { 'content-type': 'application/json' };
    for (const origin of ['http://evil.example', 'null', `http://127.0.0.1:1`, 'https://store.example.evil.example']) {
      const reply = await replay(sequenceNumber, { ...json, origin });
      expect(reply.status, origin).toBe(403);
      expect(await reply.json()).toMatchObject({ error: { code: 'foreign_origin', details: [{ path: 'origin' }] } });
    }
    expect((await replay(sequenceNumber, { ...json, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    // Static Web Apps calls the API on the Function App's host and keeps the public address in x-ms-original-url.
    const viaStaticWebApps = { ...json, origin: 'https://store.example', 'x-ms-original-url': `https://store.example/api/manage/deadletters/${sequenceNumber}/replay` };
    expect((await replay(sequenceNumber, viaStaticWebApps)).status).toBe(200);
    // Behind a proxy that names no host we know, the browser's own Sec-Fetch-Site still says so.
    const second = await makeDeadLetter(host, 'poison-origin-2');
    expect((await replay(second, { ...json, origin: 'https://store.example', 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('takes a picture only as image bytes, and not from a foreign Origin', async () => {
    const upload = (headers: Record<string, string>) =>
      call(host.url, 'POST', '/api/manage/images', { raw: TINY_PNG, headers: { ...ADMIN, ...headers } });
    expect((await upload({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await upload({ 'content-type': 'image/png', origin: 'http://evil.example' })).status).toBe(403);
    expect((await upload({ 'content-type': 'image/png', origin: host.url })).status).toBe(201);
    expect((await upload({ 'content-type': 'application/octet-stream' })).status).toBe(201);
  });
});
