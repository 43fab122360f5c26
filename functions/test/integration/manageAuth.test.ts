import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definitions, type HttpDefinition } from '../../src/definitions.js';
import { makeDeadLetter } from '../support/deadLetters.js';
import { TINY_PNG } from '../support/images.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi.js';
import { ADMIN, call, createProduct, eventually, useHost } from '../support/localHost.js';
import { orderNeverSent, writeDraft } from '../support/hostStore.js';
import { CHECKOUT } from '../support/checkout.js';

/** Acceptance: every /api/manage route answers 401 without a principal and 403 to a non-admin. */

const manageDefinitions = definitions.filter(
  (definition): definition is HttpDefinition => definition.kind === 'http' && definition.contract.route.startsWith('manage/'),
);
const endpoints = manageDefinitions.map(({ name, contract: { route, method } }) => ({ name, route, method, label: `${method} /api/${route} (${name})` }));
type Endpoint = (typeof endpoints)[number];

interface Ids {
  orderId: string;
  /** A received order never queued: the one route that acts on received orders (resend) gets it. */
  stuckOrderId: string;
  /** A pending order of its own for the cancel route, which ends it. */
  cancelOrderId: string;
  productId: string;
  sequenceNumber: string;
}

/** The signed-in principal Static Web Apps would pass, with exactly these roles. */
const principal = (roles: string[]) => ({
  'x-ms-client-principal': Buffer.from(
    JSON.stringify({ identityProvider: 'aad', userId: 'shopper', userDetails: 'shopper@example.com', userRoles: roles }),
  ).toString('base64'),
});

const refusedCallers = [
  { who: 'no principal', headers: {}, status: 401 },
  { who: 'an authenticated non-admin', headers: principal(['authenticated']), status: 403 },
];

const UNIQUE_NAME = 'Refused Product 7f3c';
const draft = { name: UNIQUE_NAME, description: 'Must never be stored.', priceCents: 1234, stock: 3, tags: ['auth'] };

/** A request each route would accept from an admin, so only the principal can be why it is refused. */
async function validRequest(base: string, endpoint: Endpoint, ids: Ids): Promise<{ body?: unknown; raw?: Buffer; headers?: Record<string, string> }> {
  if (endpoint.method === 'GET' || endpoint.method === 'DELETE') return {};
  if (endpoint.route === 'manage/images') return { raw: TINY_PNG, headers: { 'content-type': 'image/png' } };
  if (endpoint.route.endsWith('/replay')) return {};
  if (endpoint.route === 'manage/ai/description') return { body: { name: UNIQUE_NAME, tags: ['auth'] } };
  if (endpoint.route === 'manage/ai/image') return { body: { name: UNIQUE_NAME, description: draft.description } };
  if (endpoint.route.endsWith('/draft/accept')) {
    const product = await call(base, 'GET', `/api/products/${ids.productId}`);
    return { body: { version: product.body.version } };
  }
  if (endpoint.route === 'manage/drafts/accept') return { body: { productIds: [ids.productId] } };
  if (endpoint.route === 'manage/enrichment') return { body: { productIds: [ids.productId], want: ['description'] } };
  if (endpoint.route.endsWith('/restock')) return { body: { quantity: 1 } };
  // Answered 200 whatever becomes of the order: each outcome is in the reply.
  if (endpoint.route === 'manage/orders/bulk') return { body: { to: 'processing', orders: [{ orderId: ids.orderId, version: 1 }] } };
  if (endpoint.route.endsWith('/cancel')) {
    const order = await call(base, 'GET', `/api/orders/${ids.cancelOrderId}`);
    return { body: { reason: 'Checking the employee API.', version: order.body.version } };
  }
  if (endpoint.route.endsWith('/transitions')) {
    const order = await call(base, 'GET', `/api/orders/${ids.orderId}`);
    return { body: { to: 'processing', version: order.body.version } };
  }
  if (endpoint.method === 'PUT') {
    const product = await call(base, 'GET', `/api/products/${ids.productId}`);
    return { body: { ...draft, version: product.body.version } };
  }
  return { body: draft };
}

/** Sends a request built for an endpoint, with the caller's headers on top. */
async function send(base: string, endpoint: Endpoint, ids: Ids, headers: Record<string, string>) {
  const request = await validRequest(base, endpoint, ids);
  return call(base, endpoint.method, pathOf(endpoint.route, ids), { ...request, headers: { ...request.headers, ...headers } });
}

const pathOf = (route: string, ids: Ids) =>
  `/api/${route
    .replace(/\{id\}/g, route.endsWith('/resend') ? ids.stuckOrderId : route.endsWith('/cancel') ? ids.cancelOrderId : route.startsWith('manage/orders') ? ids.orderId : ids.productId)
    .replace('{sequenceNumber}', ids.sequenceNumber)}${route === 'manage/exports/orders' ? '?from=2026-01-01&to=2026-12-31' : ''}`;

async function storeState(base: string) {
  return {
    orders: (await call(base, 'GET', '/api/manage/orders?limit=100', { headers: ADMIN })).body,
    products: (await call(base, 'GET', '/api/products?limit=100')).body,
  };
}

const errorShape = { error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) } };

// The AI routes let an admin through only to an AI service: a fake one on loopback, whose address
// reaches the host's settings before the host starts (top-level hooks run first).
const hostEnv: Record<string, string> = { SEED_CATALOG: 'false', OPENAI_CHAT_MODEL: 'fake-chat', OPENAI_IMAGE_MODEL: 'fake-image' };
let fakeAi: FakeOpenAi;
beforeAll(async () => {
  fakeAi = await startFakeOpenAi();
  hostEnv.OPENAI_BASE_URL = fakeAi.baseUrl;
});
afterAll(() => fakeAi.close());

describe('the employee API under /api/manage', () => {
  const host = useHost(hostEnv);
  let ids: Ids;
  let before: Awaited<ReturnType<typeof storeState>>;

  beforeAll(async () => {
    const product = await createProduct(host.url, { stock: 10 });
    const place = async () => {
      const placed = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT } });
      await eventually(async () => (await call(host.url, 'GET', `/api/orders/${placed.body.orderId}`)).body.status === 'pending');
      return placed.body.orderId as string;
    };
    ids = { orderId: await place(), stuckOrderId: await orderNeverSent(host, product.id, 3600), cancelOrderId: await place(), productId: product.id, sequenceNumber: '1' };
    before = await storeState(host.url);
  });


  it('has manage routes to check, and no function name or route begins with "admin"', () => {
    expect(endpoints.length).toBeGreaterThanOrEqual(6);
    for (const definition of definitions) {
      expect(definition.name).not.toMatch(/^admin/i);
      if (definition.kind === 'http') expect(definition.contract.route).not.toMatch(/^\/?admin/i);
    }
  });

  for (const endpoint of endpoints) {
    for (const { who, headers, status } of refusedCallers) {
      it(`${endpoint.label}: ${status} to ${who}`, async () => {
        const reply = await send(host.url, endpoint, ids, headers);
        expect(reply.status).toBe(status);
        expect(reply.body).toEqual(errorShape);
      });
    }
  }

  it('changed nothing while refusing, and a refused POST /api/manage/products created no product', async () => {
    expect(await storeState(host.url)).toEqual(before);
    const found = await call(host.url, 'GET', `/api/products?q=${encodeURIComponent(UNIQUE_NAME)}`);
    expect(found.body.items).toEqual([]);
    expect(fakeAi.requests, 'a refused call reached the AI service').toEqual([]);
  });

  // Last, because an admin's calls change the store; each gets a product of its own to change.
  for (const endpoint of endpoints) {
    it(`${endpoint.label}: lets an admin through`, async () => {
      const own = {
        ...ids,
        productId: (await createProduct(host.url)).id,
        sequenceNumber: endpoint.route.includes('{sequenceNumber}') ? await makeDeadLetter(host, `poison-${endpoint.name}`) : ids.sequenceNumber,
      };
      if (endpoint.route.includes('/draft')) await writeDraft(host.dataDir, own.productId, { description: 'Drafted.' });
      const reply = await send(host.url, endpoint, own, ADMIN);
      expect([401, 403]).not.toContain(reply.status);
      if (endpoint.route === 'manage/enrichment/{id}') {
        // No job has that id: the answer comes from the job store, after letting the admin through.
        expect(reply.status).toBe(404);
        expect(reply.body.error.code).toBe('enrichment_not_found');
        return;
      }
      expect(reply.status, JSON.stringify(reply.body)).toBeGreaterThanOrEqual(200);
      expect(reply.status).toBeLessThan(300);
    });
  }
});
