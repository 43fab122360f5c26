import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { errorReply } from '../../src/http/contract/responses.js';
import { contract, type RouteContract } from '../../src/http/contract/routes.js';
import { parseApiHttp, sendApiHttp, type Example } from '../support/apiHttp.js';
import { OPENAPI_FILE } from '../../src/local/openApiFile.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi.js';
import { makeDeadLetter } from '../support/deadLetters.js';
import { orderNeverSent } from '../support/hostStore.js';
import { ADMIN, call, useHost } from '../support/localHost.js';

/**
 * The contract against the real thing: the local host serves the generated document, and every
 * example of api.http, sent in order by httpyac's command line against a fresh host (nothing
 * written into its store behind the API), answers its documented status with a body its reply
 * schema parses, field for field. This is what keeps the reply schemas (and the web clients' types) true.
 */

const routes = contract as Record<string, RouteContract>;

/** Parses with the schema and finds nothing the schema does not name (z.object drops unknown keys). */
function expectConforms(schema: z.ZodType, body: unknown, what: string) {
  const parsed = schema.safeParse(body);
  expect(parsed.error?.issues ?? [], `${what}: ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
  expect(parsed.data, `${what} has fields its schema does not name`).toEqual(body);
}

/** Checks a reply of `route` against the contract: its status's schema, the error envelope, a picture, or nothing. */
function expectFits(route: RouteContract, what: string, status: number, contentType: string | undefined, text: string) {
  const json = contentType?.startsWith('application/json') ? JSON.parse(text) : undefined;
  const schema = (route.replies as Record<number, z.ZodType | null>)[status];
  if (schema) expectConforms(schema, json, what);
  else if (status >= 400) expectConforms(errorReply, json, what);
  // "image/*" stands for any picture type; "text/csv" for itself.
  else if (route.rawReply) expect(contentType, what).toMatch(new RegExp(`^${route.rawReply.replace('*', '')}`));
  else if (status === 204) expect(text, what).toBe('');
}

/** The status an example should answer: its "# @expect" line, else its route's success (the lowest reply status). */
const successOf = (route: RouteContract) => Math.min(...Object.keys(route.replies).map(Number));
const expectedStatus = (example: Example) => example.expect ?? successOf(routes[example.route]!);

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

  it('serves the OpenAPI document of docs/openapi.json at GET /api/openapi.json, to anyone', async () => {
    const reply = await call(host.url, 'GET', '/api/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toEqual(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
  });

  it('runs api.http under httpyac, every example in order, each with its documented status and a reply its schema parses', async () => {
    const { examples } = parseApiHttp();
    const { exitCode, requests, log } = await sendApiHttp(`${host.url}/api`);
    // Every example sent, in order, and none skipped: a reference httpyac cannot resolve stops its request.
    expect(requests.map((request) => request.name), log).toEqual(examples.map((example) => example.name));
    for (const [index, example] of examples.entries()) {
      const { response, summary } = requests[index]!;
      expect(response, `${example.name} got no reply`).toBeDefined();
      const { statusCode, headers, body = '' } = response!;
      expect(statusCode, `${example.name}: ${body.slice(0, 300)}`).toBe(expectedStatus(example));
      // httpyac's own check of the status (httpyac.config.cjs), which a person running the file sees.
      expect(summary.failedTests + summary.erroredTests, example.name).toBe(0);
      expectFits(routes[example.route]!, example.name, statusCode, headers['content-type'], body);
    }
    expect(new Set(examples.map((example) => example.route)).size).toBe(Object.keys(routes).length);
    expect(exitCode, log).toBe(0);
  }, 60_000);

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

describe('the routes that act on what a failure leaves, on the local host', () => {
  // api.http shows these refusing on a fresh host: only a failure makes a stuck order or a dead
  // letter, never the API. Here they are made as the failures make them (an order stored whose send
  // never happened, messages from another sender that the makeline cannot read), and each success
  // reply checked against its schema.
  const host = useHost();

  it('answers the resend of a stuck order and the replay and discard of dead letters with the replies their schemas parse', async () => {
    const stuck = await orderNeverSent(host, 'any-product');
    const [replayed, discarded] = [await makeDeadLetter(host, 'contract-first'), await makeDeadLetter(host, 'contract-second')];
    for (const [name, path] of [
      ['manageResendOrder', `/api/manage/orders/${stuck}/resend`],
      ['manageReplayDeadLetter', `/api/manage/deadletters/${replayed}/replay`],
      ['manageDiscardDeadLetter', `/api/manage/deadletters/${discarded}`],
    ] as const) {
      const route = routes[name]!;
      const response = await fetch(`${host.url}${path}`, { method: route.method, headers: { ...ADMIN, 'content-type': 'application/json' } });
      const text = await response.text();
      expect(response.status, `${name}: ${text}`).toBe(successOf(route));
      expectFits(route, name, response.status, response.headers.get('content-type') ?? undefined, text);
    }
  });
});
