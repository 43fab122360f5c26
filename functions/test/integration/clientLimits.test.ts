import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKOUT } from '../support/checkout.js';
import { ADMIN, call, createProduct, eventually, removeDataDir, startHost, type RunningHost } from '../support/localHost.js';

/**
 * One request from a chosen loopback address: Linux answers the whole of 127/8 locally, so each
 * address is another client to the host (its socket's peer).
 */
function from(localAddress: string, base: string, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}) {
  const url = new URL(path, base);
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>((resolve, reject) => {
    const outgoing = request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, localAddress, headers: { 'content-type': 'application/json', ...options.headers } },
      (incoming) => {
        let text = '';
        incoming.setEncoding('utf8');
        incoming.on('data', (chunk: string) => (text += chunk));
        incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text ? JSON.parse(text) : undefined }));
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

const signedIn = (userId: string) => ({
  'x-ms-client-principal': Buffer.from(JSON.stringify({ identityProvider: 'github', userId, userDetails: userId, userRoles: ['anonymous', 'authenticated'] })).toString('base64'),
});

describe('rate limits: per client, shared by every host on one store', () => {
  let first: RunningHost;
  let second: RunningHost;
  let productId: string;
  const env = {
    SEED_CATALOG: 'false',
    RATE_LIMITS: 'on',
    RATE_LIMIT_ORDERS: '3/1h',
    RATE_LIMIT_CANCELS: '2/1h',
    RATE_LIMIT_SEARCHES: '2/1h',
  };

  beforeAll(async () => {
    first = await startHost({ env });
    // A second host on the same file: as a second Function App instance shares the database.
    second = await startHost({ env, dataDir: first.dataDir });
    productId = (await createProduct(first.url, { stock: 1000 })).id;
  });
  afterAll(async () => {
    await second?.kill();
    await first?.kill();
    if (first) removeDataDir(first);
  });

  const order = (base: string, address: string, headers: Record<string, string> = {}) =>
    from(address, base, 'POST', '/api/orders', { headers, body: { items: [{ productId, quantity: 1 }], ...CHECKOUT } });

  it('answers 429 rate_limited with Retry-After once one client has placed its orders, counted across both hosts', async () => {
    const placed = [await order(first.url, '127.0.0.2'), await order(second.url, '127.0.0.2'), await order(first.url, '127.0.0.2')];
    expect(placed.map((reply) => reply.status)).toEqual([202, 202, 202]);
    const refused = await order(second.url, '127.0.0.2');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('rate_limited');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // The refused order was never stored: three orders hold stock, and no fourth.
    const product = await eventually(async () => {
      const seen = (await call(first.url, 'GET', `/api/manage/products/${productId}`, { headers: ADMIN })).body;
      return seen.stock === 997 && seen;
    });
    expect(product.stock).toBe(997);
    const board = (await call(first.url, 'GET', '/api/manage/orders?limit=100', { headers: ADMIN })).body;
    expect(board.items).toHaveLength(3);
  });

  it('counts another address, and a signed-in account, on their own', async () => {
    expect((await order(first.url, '127.0.0.3')).status).toBe(202);
    // The same address as the refused client, signed in: the account is the client now.
    expect((await order(second.url, '127.0.0.2', signedIn('lim-1'))).status).toBe(202);
  });

  it("limits a client's cancels the same way", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 3; index++) ids.push((await order(first.url, '127.0.0.4')).body.orderId);
    const cancels = [];
    for (const id of ids) cancels.push(await from('127.0.0.4', id === ids[1] ? second.url : first.url, 'POST', `/api/orders/${id}/cancel`));
    expect(cancels.map((reply) => reply.status)).toEqual([200, 200, 429]);
    expect((await call(first.url, 'GET', `/api/orders/${ids[2]}`)).body.status).not.toBe('cancelled');
  });

  it('limits searches on each host by itself, and never a page without a search term', async () => {
    const search = (base: string) => from('127.0.0.5', base, 'GET', '/api/products?q=lamp');
    expect([(await search(first.url)).status, (await search(first.url)).status, (await search(first.url)).status]).toEqual([200, 200, 429]);
    expect((await search(second.url)).status).toBe(200);
    for (let index = 0; index < 5; index++) expect((await from('127.0.0.5', first.url, 'GET', '/api/products?tag=test')).status).toBe(200);
  });
});

describe('rate limits off', () => {
  let host: RunningHost;
  beforeAll(async () => {
    host = await startHost({ env: { SEED_CATALOG: 'false', RATE_LIMITS: 'off', RATE_LIMIT_SEARCHES: '1/1h' } });
  });
  afterAll(async () => {
    await host?.kill();
    if (host) removeDataDir(host);
  });

  it('lets RATE_LIMITS=off count nothing, whatever each limit says', async () => {
    for (let index = 0; index < 5; index++) expect((await from('127.0.0.6', host.url, 'GET', '/api/products?q=x')).status).toBe(200);
  });
});

describe('local host connections: a cap per source below the global one', () => {
  let host: RunningHost;
  const held: Socket[] = [];
  beforeAll(async () => {
    host = await startHost({ env: { SEED_CATALOG: 'false', LOCAL_MAX_CONNECTIONS: '40', LOCAL_MAX_CONNECTIONS_PER_SOURCE: '20' } });
  });
  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await host?.kill();
    if (host) removeDataDir(host);
  });

  it('keeps serving others while one client holds more sockets than the global limit', async () => {
    const { hostname, port } = new URL(host.url);
    // One client opens 45 idle sockets, more than LOCAL_MAX_CONNECTIONS, and keeps them.
    const closed = new Set<Socket>();
    await Promise.all(
      Array.from({ length: 45 }, () =>
        new Promise<void>((resolve) => {
          const socket = connect({ host: hostname, port: Number(port), localAddress: '127.0.0.7' }, () => resolve());
          socket.on('error', () => resolve());
          socket.on('close', () => {
            closed.add(socket);
            resolve();
          });
          held.push(socket);
        }),
      ),
    );
    // The host closes those past the per-source cap: 20 stay open.
    await eventually(async () => held.length - closed.size <= 20 && closed.size > 0, 5_000);
    expect(held.length - closed.size).toBe(20);
    // Another client is still served.
    const reply = await from('127.0.0.8', host.url, 'GET', '/api/health');
    expect(reply.status).toBe(200);
  });
});
