import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { openApiDocument } from '../../src/http/contract/openapi.js';
import { errorReply } from '../../src/http/contract/responses.js';
import { contract, type RouteContract } from '../../src/http/contract/routes.js';
import { API_HTTP, parseApiHttp, resolveVariables, type Answer, type Example } from '../support/apiHttp.js';
import { makeDeadLetter } from '../support/deadLetters.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi.js';
import { orderNeverSent, writeDraft } from '../support/hostStore.js';
import { call, eventually, useHost } from '../support/localHost.js';

/**
 * The contract against the real thing: the local host serves the generated document, and every
 * example of api.http, run in order, answers its documented status with a body its reply schema
 * parses, field for field. This is what keeps the reply schemas (and the web clients' types) true.
 */

const routes = contract as Record<string, RouteContract>;

/** Parses with the schema and finds nothing the schema does not name (z.object drops unknown keys). */
function expectConforms(schema: z.ZodType, body: unknown, what: string) {
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? [], `${what}: ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
  expect(parsed.data, `${what} has fields its schema does not name`).toEqual(body);
}

/** The status an example should answer: its "# expect" line, else its route's success (the lowest reply status). */
const expectedStatus = (example: Example) => example.expect ?? Math.min(...Object.keys(routes[example.route]!.replies).map(Number));

describe('the contract over HTTP, on the local host', () => {
  let fake: FakeOpenAi;
  // The seeded catalog (api.http orders aurora-headphones) and an AI service for the AI routes.
  const env: Record<string, string> = { OPENAI_CHAT_MODEL: 'fake-chat', OPENAI_IMAGE_MODEL: 'fake-image' };
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    env.OPENAI_BASE_URL = fake.baseUrl; // read when the host starts, just below
  });
  const host = useHost(env);
  afterAll(() => fake.close());

  it('serves the generated OpenAPI document at GET /api/openapi.json, to anyone', async () => {
    const reply = await call(host.url, 'GET', '/api/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('answers every example of api.http, in order, with its documented status and a reply its schema parses', async () => {
    const { variables, examples } = parseApiHttp();
    variables.base = `${host.url}/api`;
    const answers = new Map<string, Answer>();
    const idOf = (name: string, field = 'id') => String((answers.get(name)!.body as Record<string, unknown>)[field]);
    // What a person running api.http would have at hand: dead letters, a stuck order, a pending order, drafts.
    await makeDeadLetter(host, 'contract-first');
    await makeDeadLetter(host, 'contract-second');
    const before: Record<string, () => Promise<unknown>> = {
      manageGetOrder: () =>
        eventually(async () => (await call(host.url, 'GET', `/api/orders/${idOf('postOrder', 'orderId')}`)).body.status === 'pending'),
      manageGetOrder_toCancel: () =>
        eventually(async () => (await call(host.url, 'GET', `/api/orders/${idOf('postOrder_toCancelAsEmployee', 'orderId')}`)).body.status === 'pending'),
      manageResendOrder: async () => (variables.stuckOrderId = await orderNeverSent(host.dataDir, 'aurora-headphones')),
      manageAcceptDraft: () => writeDraft(host.dataDir, idOf('manageCreateProduct'), { description: 'Drafted by a test.' }),
      manageDiscardDraft: () => writeDraft(host.dataDir, idOf('manageCreateProduct'), { description: 'Another draft.' }),
      // Restocking leaves a draft where it is, and the reply shows it as the product page does.
      manageRestockProduct: () => writeDraft(host.dataDir, idOf('manageCreateProduct'), { description: 'A draft kept through a restock.' }),
    };

    for (const example of examples) {
      await before[example.name]?.();
      const resolved = (text: string) => resolveVariables(text, variables, answers);
      const headers = Object.fromEntries(Object.entries(example.headers).map(([name, value]) => [name, resolved(value)]));
      const body = example.bodyFile ? readFileSync(resolve(dirname(API_HTTP), example.bodyFile)) : example.body && resolved(example.body);
      const response = await fetch(resolved(example.url), { method: example.method, headers, body });
      const text = Buffer.from(await response.arrayBuffer());
      const json = response.headers.get('content-type')?.startsWith('application/json') ? JSON.parse(text.toString('utf8')) : undefined;
      answers.set(example.name, { status: response.status, headers: response.headers, body: json });

      const route = routes[example.route]!;
      expect(response.status, `${example.name}: ${text.toString('utf8').slice(0, 300)}`).toBe(expectedStatus(example));
      const schema = (route.replies as Record<number, z.ZodType | null>)[response.status];
      if (schema) expectConforms(schema, json, example.name);
      else if (response.status >= 400) expectConforms(errorReply, json, example.name);
      // "image/*" stands for any picture type; "text/csv" for itself.
      else if (route.rawReply) expect(response.headers.get('content-type'), example.name).toMatch(new RegExp(`^${route.rawReply.replace('*', '')}`));
      else if (response.status === 204) expect(text.length, example.name).toBe(0);
    }
    expect(new Set(examples.map((example) => example.route)).size).toBe(Object.keys(routes).length);
    expect(answers.size).toBe(examples.length);
  });

  it('answers errors in the one envelope: an unknown product, a bad body, a missing role', async () => {
    for (const [method, path, headers, body, status] of [
      ['GET', '/api/products/no-such-product', {}, undefined, 404],
      ['POST', '/api/orders', {}, { items: [] }, 400],
      ['GET', '/api/manage/orders', {}, undefined, 401],
    ] as const) {
      const reply = await call(host.url, method, path, { headers, body });
      expect(reply.status, path).toBe(status);
      expectConforms(errorReply, reply.body, path);
    }
  });
});
