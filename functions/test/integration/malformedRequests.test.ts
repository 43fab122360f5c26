import { request } from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_PRICE_CENTS } from '../../src/domain/money.js';
import { MAX_BODY_BYTES } from '../../src/http/types.js';
import { ADMIN, call, createProduct, eventually, useHost } from '../support/localHost.js';
import { CHECKOUT } from '../support/checkout.js';

/**
 * Acceptance: at least 200 malformed requests across all endpoints all get a 4xx JSON error,
 * and nothing is stored. The cases are generated from the tables below.
 */

interface Fixture {
  productA: { id: string; version: number };
  productB: { id: string; version: number };
  order: { orderId: string; version: number };
}

/** An endpoint under test: `{id}` in the route is filled from the fixture unless a case supplies one. */
interface Endpoint {
  method: string;
  route: string;
  admin: boolean;
  idOf?: (f: Fixture) => string;
  /** A valid body: cases break exactly one thing about it. */
  body?: (f: Fixture) => Record<string, unknown>;
}

/** What a case changes about the endpoint's valid request. A header set to null is left out. */
interface Change {
  id?: string;
  query?: Record<string, string>;
  headers?: Record<string, string | null>;
  body?: string | (() => ReadableStream<Uint8Array>);
}

interface Outgoing {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | ReadableStream<Uint8Array>;
}

interface Case {
  name: string;
  status: number;
  request(f: Fixture): Outgoing;
}

// ---------------------------------------------------------------- values and bodies

const OMIT = Symbol('omit');
const RAW = '\u0000raw:';
/** A number written into the JSON text as is, e.g. 1e400, which JSON.stringify cannot produce. */
const raw = (text: string) => `${RAW}${text}`;

function encode(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000raw:([^"]*)"/g, '$1');
}

function describeValue(value: unknown): string {
  if (value === OMIT) return 'missing';
  if (typeof value === 'string' && value.startsWith(RAW)) return `${value.slice(RAW.length)} (raw)`;
  if (typeof value === 'string' && value.length > 40) return `"${value.slice(0, 8)}…" (${value.length} chars)`;
  if (Array.isArray(value) && value.length > 3) return `an array of ${value.length}`;
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** A copy of `body` with the value at a dotted path replaced (or removed, for OMIT). */
function patched(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  const last = keys.pop()!;
  let target: any = copy;
  for (const key of keys) target = target[key];
  if (value === OMIT) delete target[last];
  else target[last] = value;
  return copy;
}

interface FieldCase {
  label: string;
  path: string;
  value: (f: Fixture) => unknown;
}

const values = (path: string, list: unknown[]): FieldCase[] =>
  list.map((value) => ({ label: `${path} ${describeValue(value)}`, path, value: () => value }));

const base64 = (text: string) => Buffer.from(text).toString('base64');
const base64url = (text: string) => Buffer.from(text).toString('base64url');

// ---------------------------------------------------------------- endpoints

const draft = { name: 'Desk Lamp', description: 'Lights a desk.', priceCents: 2999, stock: 7, tags: ['home'] };

const postOrder: Endpoint = {
  method: 'POST',
  route: 'orders',
  admin: false,
  body: (f) => ({
    items: [
      { productId: f.productA.id, quantity: 1 },
      { productId: f.productB.id, quantity: 2 },
    ],
    ...CHECKOUT,
  }),
};
const createProductEndpoint: Endpoint = { method: 'POST', route: 'manage/products', admin: true, body: () => draft };
const updateProduct: Endpoint = {
  method: 'PUT',
  route: 'manage/products/{id}',
  admin: true,
  idOf: (f) => f.productA.id,
  body: (f) => ({ ...draft, version: f.productA.version }),
};
const deleteProduct: Endpoint = { method: 'DELETE', route: 'manage/products/{id}', admin: true, idOf: (f) => f.productB.id };
const transition: Endpoint = {
  method: 'POST',
  route: 'manage/orders/{id}/transitions',
  admin: true,
  idOf: (f) => f.order.orderId,
  body: (f) => ({ to: 'processing', version: f.order.version }),
};
const listProducts: Endpoint = { method: 'GET', route: 'products', admin: false };
const getProduct: Endpoint = { method: 'GET', route: 'products/{id}', admin: false, idOf: (f) => f.productA.id };
const getOrder: Endpoint = { method: 'GET', route: 'orders/{id}', admin: false, idOf: (f) => f.order.orderId };
const manageListOrders: Endpoint = { method: 'GET', route: 'manage/orders', admin: true };
const manageGetOrder: Endpoint = { method: 'GET', route: 'manage/orders/{id}', admin: true, idOf: (f) => f.order.orderId };
const manageListDeadLetters: Endpoint = { method: 'GET', route: 'manage/deadletters', admin: true };
const manageCancel: Endpoint = {
  method: 'POST',
  route: 'manage/orders/{id}/cancel',
  admin: true,
  idOf: (f) => f.order.orderId,
  body: (f) => ({ reason: 'Out of stock at the warehouse.', version: f.order.version }),
};

const bodyEndpoints = [postOrder, createProductEndpoint, updateProduct, transition];
const idEndpoints = [getProduct, getOrder, manageGetOrder, transition, updateProduct, deleteProduct];
const manageEndpoints = [manageListOrders, manageGetOrder, transition, createProductEndpoint, updateProduct, deleteProduct];

const labelOf = (endpoint: Endpoint) => `${endpoint.method} /api/${endpoint.route}`;

function build(endpoint: Endpoint, f: Fixture, change: Change): Outgoing {
  const id = change.id ?? endpoint.idOf?.(f) ?? '';
  const query = change.query ? `?${new URLSearchParams(change.query)}` : '';
  const headers: Record<string, string | null> = {
    ...(endpoint.admin ? ADMIN : {}),
    ...(endpoint.method === 'GET' ? {} : { 'content-type': 'application/json' }),
    ...change.headers,
  };
  const body = typeof change.body === 'function' ? change.body() : (change.body ?? (endpoint.body && encode(endpoint.body(f))));
  return {
    method: endpoint.method,
    path: `/api/${endpoint.route.replace('{id}', id)}${query}`,
    headers: Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null)),
    body,
  };
}

const kase = (endpoint: Endpoint, what: string, status: number, change: (f: Fixture) => Change = () => ({})): Case => ({
  name: `${labelOf(endpoint)}: ${what}`,
  status,
  request: (f) => build(endpoint, f, change(f)),
});

const validText = (endpoint: Endpoint, f: Fixture) => encode(endpoint.body!(f));

// ---------------------------------------------------------------- tables

/** Bodies that are not the JSON object an endpoint wants, derived from its valid body text. */
const textBodies: Array<[string, (valid: string) => string]> = [
  ['not JSON', () => 'this is not json'],
  ['truncated JSON', (valid) => valid.slice(0, -5)],
  ['empty body', () => ''],
  ['JSON null', () => 'null'],
  ['JSON array', (valid) => `[${valid}]`],
  ['JSON string', (valid) => JSON.stringify(valid)],
  ['JSON number', () => '42'],
  ['JSON true', () => 'true'],
  ['single-quoted JSON', (valid) => valid.replaceAll('"', "'")],
  ['trailing comma', (valid) => valid.replace(/\}$/, ',}')],
  ['two JSON documents', (valid) => valid + valid],
  ['byte-order mark before JSON', (valid) => `\uFEFF${valid}`],
  ['a __proto__ field', (valid) => valid.replace(/^\{/, '{"__proto__":{"admin":true},')],
  ['deeply nested arrays', () => `${'['.repeat(5000)}${']'.repeat(5000)}`],
  // Last wins in JSON.parse: the valid value comes second, so only the repeat itself can be refused.
  ['its first key twice', (valid) => valid.replace(/^\{("[^"]+":)/, '{$1null,$1')],
];

const wrongContentTypes: Array<string | null> = [
  null,
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/jsonp',
  'text/json',
  'application/json-patch+json',
];

/** A valid body padded with whitespace past the limit: only its size can be refused. */
const oversized = (valid: string) => valid.replace(/\}$/, `${' '.repeat(MAX_BODY_BYTES)}}`);

function streamOf(text: string): ReadableStream<Uint8Array> {
  const bytes = Buffer.from(text);
  const chunk = 64 * 1024;
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + chunk));
      offset += chunk;
    },
  });
}

/** What a name, an address line or a reason must not hide: bidi controls, zero-width characters, half a surrogate pair. */
const HIDDEN_TEXT = ['Ada \u202Eevil', 'Ada\u2066x\u2069', 'A\u200Bda', 'Ad\uFEFFa', 'Ada \uD800', 'Ada \uDC00x'];

const orderFields: FieldCase[] = [
  ...values('items', [OMIT, [], 'lamp', {}, null]),
  {
    label: 'items with 51 entries',
    path: 'items',
    value: () => Array.from({ length: 51 }, (_, index) => ({ productId: `product-${index}`, quantity: 1 })),
  },
  {
    label: 'items with a duplicate productId',
    path: 'items',
    value: (f) => [
      { productId: f.productA.id, quantity: 1 },
      { productId: f.productA.id, quantity: 2 },
    ],
  },
  ...values('items.0', ['lamp', null, []]),
  ...values('items.0.quantity', [0, -1, 1.5, 100, 1e9, raw('1e400'), raw('-1e400'), '2', null, true, OMIT]),
  ...values('items.0.productId', [42, '', 'p'.repeat(65), 'a/b', 'a b', '<script>', null, OMIT, ['x']]),
  ...values('items.0.unitPriceCents', [1]),
  ...values('totalCents', [1]),
  ...values('status', ['completed']),
  ...values('customer', ['Ada', [], null, OMIT]),
  ...values('customer.name', [5, '', '   ', 'n'.repeat(101)]),
  ...values('customer.email', ['not-an-email', 'ada@', 5, `${'a'.repeat(250)}@example.com`, '', OMIT]),
  ...values('customer.phone', ['555-0100']),
  ...values('shipping', ['12 Analytical Row', [], null, OMIT]),
  ...values('shipping.name', ['', '   ', 5, 'n'.repeat(101), OMIT]),
  ...values('shipping.street', ['', 'line one\nline two', 's'.repeat(201), OMIT]),
  ...values('shipping.city', ['', '   ', null, OMIT]),
  ...values('shipping.postalCode', ['', '!!', '-1234', 'p'.repeat(21), 12345, OMIT]),
  ...values('shipping.country', ['', 'c'.repeat(61), OMIT]),
  ...values('shipping.phone', ['555-0100']),
  ...['customer.name', 'shipping.name', 'shipping.street', 'shipping.city', 'shipping.country'].flatMap((path) => values(path, HIDDEN_TEXT)),
];

const badIdempotencyKeys = ['abc', 'k'.repeat(129), 'has spaces here', 'key/with/slash', 'key<script>', ''];

const productFields: FieldCase[] = [
  ...values('priceCents', [-1, 1.5, MAX_PRICE_CENTS + 1, 1e12, raw('1e400'), '2999', null, OMIT]),
  ...values('stock', [-1, 0.5, 1_000_001, raw('1e400'), '5', null, OMIT]),
  ...values('name', [OMIT, '', '   ', 'x'.repeat(121), 42, null]),
  ...values('description', [OMIT, 'd'.repeat(2001), 7]),
  ...values('tags', ['home,office', {}, null, OMIT, [''], ['t'.repeat(33)], [1], Array.from({ length: 21 }, (_, i) => `tag${i}`)]),
  ...values('imageUrl', ['javascript:alert(1)', 'http://example.com/a.png', 'data:image/png;base64,AAAA', '/images/<x>.png', 5, `https://example.com/${'a'.repeat(2048)}`]),
  ...values('id', ['chosen-id']),
  ...values('stockDelta', [5]),
];

const versionValues = [OMIT, 0, -1, '1', 1.5, null, raw('1e400')];

const transitionFields: FieldCase[] = [
  ...values('to', ['shipped', '', 'PROCESSING', null, 5, ['processing'], OMIT]),
  ...values('version', versionValues),
  ...values('reason', ['because']),
  ...values('orderId', ['someone-else']),
];

const badLimits = ['0', '101', '-1', '1.5', 'abc', '', '1000', '1e2', ' 5'];
const badCursors = ['garbage!!', 'abc', base64url('["x"]'), base64url('{"a":1}'), '', 'c'.repeat(301)];

/** [what, id as written in the path, status]: ids the route matches get 400 or 404; a broken escape matches no route. */
const badIds: Array<[string, string, number]> = [
  ['65 characters', 'i'.repeat(65), 400],
  ['%3Cscript%3E', '%3Cscript%3E', 400],
  ['%00', 'a%00b', 400],
  ['%20', 'a%20b', 400],
  ['%2F', 'a%2Fb', 400],
  ['a dot', 'a.b', 400],
  ['non-ASCII', '%E2%9C%93', 400],
  ['a broken %-escape', '%E0%A4%A', 404],
  ['well-formed but unknown', 'no-such-id-0000', 404],
];

const badPrincipals: Array<[string, string]> = [
  ['not base64', '%%% not base64 %%%'],
  ['base64 of plain text', base64('hello')],
  ['JSON without userRoles', base64(JSON.stringify({ userId: 'x', userDetails: 'x@example.com' }))],
  ['userRoles a string', base64(JSON.stringify({ userRoles: 'admin' }))],
  ['userRoles with a number', base64(JSON.stringify({ userRoles: [1] }))],
  ['JSON null', base64('null')],
  ['JSON array', base64('["admin"]')],
];

// ---------------------------------------------------------------- cases

const fieldCases = (endpoint: Endpoint, fields: FieldCase[]) =>
  fields.map(({ label, path, value }) =>
    kase(endpoint, label, 400, (f) => ({ body: encode(patched(endpoint.body!(f), path, value(f))) })),
  );

const cases: Case[] = [
  ...bodyEndpoints.flatMap((endpoint) => [
    ...textBodies.map(([what, text]) => kase(endpoint, what, 400, (f) => ({ body: text(validText(endpoint, f)) }))),
    ...wrongContentTypes.map((type) =>
      kase(endpoint, type === null ? 'no content-type' : `content-type ${type}`, 415, () => ({ headers: { 'content-type': type } })),
    ),
    kase(endpoint, 'body over 1 MB', 413, (f) => ({ body: oversized(validText(endpoint, f)) })),
    kase(endpoint, 'body over 1 MB, streamed without content-length', 413, (f) => ({
      body: () => streamOf(oversized(validText(endpoint, f))),
    })),
  ]),
  ...fieldCases(postOrder, orderFields),
  ...badIdempotencyKeys.map((key) =>
    kase(postOrder, `Idempotency-Key ${describeValue(key)}`, 400, () => ({ headers: { 'idempotency-key': key } })),
  ),
  ...fieldCases(createProductEndpoint, [...productFields, ...values('version', [1])]),
  ...fieldCases(updateProduct, [...productFields, ...values('version', versionValues)]),
  ...fieldCases(transition, transitionFields),
  ...fieldCases(manageCancel, values('reason', HIDDEN_TEXT)),
  ...[listProducts, manageListOrders, manageListDeadLetters].flatMap((endpoint) => [
    ...badLimits.map((limit) => kase(endpoint, `limit=${describeValue(limit)}`, 400, () => ({ query: { limit } }))),
    ...badCursors.map((cursor) => kase(endpoint, `cursor=${describeValue(cursor)}`, 400, () => ({ query: { cursor } }))),
  ]),
  kase(listProducts, 'q of 101 characters', 400, () => ({ query: { q: 'q'.repeat(101) } })),
  kase(listProducts, 'q of 9 words', 400, () => ({ query: { q: 'a b c d e f g h i' } })),
  ...['\u0000', 'lamp\u0000', 'a\u001Bb', 'a\u007Fb', 'a\nb', 'a\u2028b'].map((q) =>
    kase(listProducts, `q ${JSON.stringify(q)}`, 400, () => ({ query: { q } })),
  ),
  kase(listProducts, 'tag of 33 characters', 400, () => ({ query: { tag: 't'.repeat(33) } })),
  ...['shipped', 'PENDING', ''].map((status) =>
    kase(manageListOrders, `status=${describeValue(status)}`, 400, () => ({ query: { status } })),
  ),
  ...idEndpoints.flatMap((endpoint) =>
    badIds.map(([what, id, status]) => kase(endpoint, `id ${what}`, status, () => ({ id }))),
  ),
  ...manageEndpoints.flatMap((endpoint) =>
    badPrincipals.map(([what, principal]) =>
      kase(endpoint, `principal ${what}`, 401, () => ({ headers: { 'x-ms-client-principal': principal } })),
    ),
  ),
  ...[
    kase({ ...postOrder, method: 'PATCH' }, 'a method the route does not serve', 405),
    kase({ ...postOrder, method: 'DELETE' }, 'a method the route does not serve', 405),
    kase({ ...getProduct, method: 'PUT' }, 'a method the route does not serve', 405),
    kase({ ...createProductEndpoint, route: 'manage/products/{id}', idOf: (f) => f.productA.id }, 'POST to a product', 405),
    kase({ ...listProducts, route: 'no-such-route' }, 'an unknown route', 404),
  ],
];

// ---------------------------------------------------------------- running

async function send(base: string, request: Outgoing) {
  const { body } = request;
  const init: RequestInit & { duplex?: 'half' } = { method: request.method, headers: request.headers };
  // Bytes, not a string, so fetch adds no content-type of its own.
  if (typeof body === 'string') init.body = Buffer.from(body);
  else if (body) Object.assign(init, { body, duplex: 'half' });
  const response = await fetch(`${base}${request.path}`, init);
  return { status: response.status, contentType: response.headers.get('content-type'), text: await response.text() };
}

async function snapshot(base: string, f: Fixture) {
  const product = async (id: string) => (await call(base, 'GET', `/api/products/${id}`)).body;
  return {
    orders: (await call(base, 'GET', '/api/manage/orders?limit=100', { headers: ADMIN })).body,
    catalog: (await call(base, 'GET', '/api/products?limit=100')).body,
    products: [await product(f.productA.id), await product(f.productB.id)],
  };
}

describe('malformed requests', () => {
  const host = useHost();
  let fixture: Fixture;
  let before: Awaited<ReturnType<typeof snapshot>>;

  beforeAll(async () => {
    const a = await createProduct(host.url, { stock: 20 });
    const b = await createProduct(host.url, { name: 'Wall Clock', stock: 20 });
    const placed = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: a.id, quantity: 1 }], ...CHECKOUT } });
    expect(placed.status).toBe(202);
    const pending = await eventually(async () => {
      const reply = await call(host.url, 'GET', `/api/orders/${placed.body.orderId}`);
      return reply.body.status === 'pending' && reply.body;
    });
    const version = async (id: string) => (await call(host.url, 'GET', `/api/products/${id}`)).body.version as number;
    fixture = {
      productA: { id: a.id, version: await version(a.id) },
      productB: { id: b.id, version: await version(b.id) },
      order: { orderId: pending.orderId, version: pending.version },
    };
    before = await snapshot(host.url, fixture);
    expect(before.orders.items).toHaveLength(1);
  });


  it('generates at least 200 distinct cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  for (const { name, status, request } of cases) {
    it(`${name} -> ${status}`, async () => {
      const reply = await send(host.url, request(fixture));
      const why = reply.text.slice(0, 300);
      expect(reply.status, why).toBeGreaterThanOrEqual(400);
      expect(reply.status, why).toBeLessThan(500);
      expect(reply.status, why).toBe(status);
      expect(reply.contentType).toMatch(/^application\/json/);
      expect(JSON.parse(reply.text)).toEqual({
        error: { code: expect.any(String), message: expect.any(String), details: expect.any(Array) },
      });
      expect(reply.text, 'a stack trace').not.toMatch(/(^|\\n) {2,}at /m);
    });
  }

  it('refuses two Content-Type headers with 400, whichever comes first', async () => {
    for (const types of [['application/json', 'text/plain'], ['text/plain', 'application/json'], ['application/json', 'application/json']]) {
      const reply = await new Promise<{ status: number; text: string }>((done, fail) => {
        const outgoing = request(`${host.url}/api/orders`, { method: 'POST' }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => done({ status: response.statusCode ?? 0, text }));
        });
        // An array sends one header line per value.
        outgoing.setHeader('content-type', types);
        outgoing.on('error', fail);
        outgoing.end(encode(postOrder.body!(fixture)));
      });
      expect(reply.status, `${types.join(' + ')}: ${reply.text}`).toBe(400);
      expect(JSON.parse(reply.text)).toMatchObject({ error: { code: 'ambiguous_content_type' } });
    }
  });

  it('names the key a body repeats, and takes neither value: quantity 1 then 99 orders nothing', async () => {
    const valid = encode(postOrder.body!(fixture));
    const twice = valid.replace('"quantity":1', '"quantity":1,"quantity":99');
    expect(twice).not.toBe(valid);
    const reply = await send(host.url, { method: 'POST', path: '/api/orders', headers: { 'content-type': 'application/json' }, body: twice });
    expect(reply.status, reply.text).toBe(400);
    expect(JSON.parse(reply.text).error).toMatchObject({ code: 'duplicate_key', details: [{ path: 'items.0.quantity' }] });
  });

  it('names the field that hides characters, whichever it is', async () => {
    for (const path of ['customer.name', 'shipping.street']) {
      const body = encode(patched(postOrder.body!(fixture), path, 'Ada \u202Eevil'));
      const reply = await send(host.url, { method: 'POST', path: '/api/orders', headers: { 'content-type': 'application/json' }, body });
      expect(reply.status, reply.text).toBe(400);
      expect(JSON.parse(reply.text).error.details).toEqual([{ path, message: expect.stringMatching(/invisible characters/) }]);
    }
  });

  it('stored nothing: the orders and the products are as before', async () => {
    expect(await snapshot(host.url, fixture)).toEqual(before);
  });
});
