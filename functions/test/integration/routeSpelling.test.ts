import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { definitions, type HttpDefinition } from '../../src/definitions.js';
import { ADMIN, call, useHost } from '../support/localHost.js';
import { useStack } from '../support/storeStack.js';

/**
 * Acceptance: the API answers only the exact spelling of its routes. Static Web Apps' route rules
 * compare paths as written, while the Functions host and the local host route case-insensitively
 * and let "//" through: any other spelling of a protected path would reach its handler unchecked.
 */

const httpDefinitions = definitions.filter((definition): definition is HttpDefinition => definition.kind === 'http');
const pathOf = (route: string) => `/api/${route.replace(/\{\w+\}/g, 'x1')}`;

/** Other spellings of `path` at its segment number `at` (1 = the first after the leading slash). */
function respellings(path: string, at: number): Array<[string, string]> {
  const segments = path.split('/');
  const respelled = (segment: string) => segments.map((each, index) => (index === at ? segment : each)).join('/');
  const word = segments[at]!;
  return [
    ['upper case', respelled(word.toUpperCase())],
    ['capitalized', respelled(word[0]!.toUpperCase() + word.slice(1))],
    ['a doubled slash', respelled(`/${word}`)],
  ];
}

/** A request each method would have accepted at the right spelling, so only the path can refuse it. */
const bodyFor = (method: string) => (method === 'GET' ? {} : { body: { name: 'Spelled Product 4b1d', description: '', priceCents: 100, stock: 1, tags: [] } });

const PROTECTED_NAME = 'Spelled Product 4b1d';

interface RouteRule {
  route: string;
  allowedRoles?: string[];
}

/** The rules staticwebapp.config.json guards with roles, and the paths below each. */
function protectedPaths(): Array<{ rule: string; segment: number; targets: Array<{ path: string; methods: string[] }> }> {
  const config = JSON.parse(readFileSync(resolve('web/public/staticwebapp.config.json'), 'utf8')) as { routes: RouteRule[] };
  return config.routes
    .filter((rule) => rule.allowedRoles?.some((role) => role !== 'anonymous'))
    .map(({ route }) => {
      const prefix = route.replace(/\*$/, '');
      const under = (path: string) => (route.endsWith('*') ? path.startsWith(prefix) : path === route);
      const api = httpDefinitions.filter((definition) => under(pathOf(definition.contract.route)));
      const targets = route.startsWith('/api/')
        ? api.map(({ contract }) => ({ path: pathOf(contract.route), methods: [contract.method] }))
        : [{ path: route.endsWith('*') ? `${prefix}orders` : route, methods: ['GET'] }];
      // The rule's last named segment: the one a different spelling would slip past.
      return { rule: route, segment: prefix.replace(/\/$/, '').split('/').length - 1, targets };
    });
}

describe('the API behind the real Static Web Apps CLI answers only the exact spelling of a protected route', () => {
  const stack = useStack();
  // Signed out, but claiming to be an admin: the CLI passes a client's own principal header on to
  // any path its rules do not cover.
  const forged = ADMIN;
  const rules = protectedPaths();

  it('finds the protected rules in staticwebapp.config.json, the employee API among them', () => {
    expect(rules.map((rule) => rule.rule)).toContain('/api/manage/*');
    expect(rules.find((rule) => rule.rule === '/api/manage/*')!.targets.length).toBeGreaterThanOrEqual(15);
  });

  for (const { rule, segment, targets } of rules) {
    it(`${rule}: no other spelling gets past the rule`, async () => {
      for (const { path, methods } of targets) {
        // Not "//": the CLI's proxy (http-proxy) joins slashes before forwarding, so the API gets
        // the exact spelling, principal and all. The local host's own test below covers "//".
        const forwardedAsWritten = respellings(path, segment).filter(([how]) => how !== 'a doubled slash');
        for (const [how, spelled] of forwardedAsWritten) {
          for (const method of methods) {
            const reply = await call(stack().base, method, spelled, { headers: forged, ...bodyFor(method) });
            const label = `${method} ${spelled} (${how})`;
            if (rule.startsWith('/api/')) {
              expect(reply.status, `${label}: ${JSON.stringify(reply.body)}`).toBe(404);
              expect(reply.body, label).toMatchObject({ error: { code: 'not_found' } });
            } else {
              // A page rule: another spelling may get the storefront, never the admin page.
              expect(String(reply.body), label).not.toContain('<title>Admin');
            }
          }
        }
      }
      const found = await call(stack().base, 'GET', `/api/products?q=${encodeURIComponent(PROTECTED_NAME)}`);
      expect(found.body.items, 'a respelled POST created a product').toEqual([]);
    });
  }
});

/** Sends the path exactly as written: fetch would resolve ".." and "\" before sending. */
function rawGet(base: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const { hostname, port } = new URL(base);
    const outgoing = request({ hostname, port, path, headers }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => done({ status: response.statusCode ?? 0, body }));
    });
    outgoing.on('error', fail);
    outgoing.end();
  });
}

describe('the local host answers only the exact spelling of every route', () => {
  const host = useHost();

  for (const definition of httpDefinitions) {
    const { method, route } = definition.contract;
    it(`${method} /api/${route}: 404 to any other spelling`, async () => {
      const path = pathOf(route);
      const spellings: Array<[string, string]> = [...respellings(path, 2), ['a trailing slash', `${path}/`]];
      for (const [how, spelled] of spellings) {
        const reply = await call(host.url, method, spelled, { headers: ADMIN, ...bodyFor(method) });
        expect(reply.status, `${method} ${spelled} (${how}): ${JSON.stringify(reply.body)}`).toBe(404);
        expect(reply.body).toEqual({ error: { code: 'not_found', message: expect.any(String), details: [] } });
      }
    });
  }

  it('404 to a path the URL parser would resolve: "..", "." and a backslash', async () => {
    for (const path of ['/api/products/../manage/orders', '/api/./manage/orders', '/api\\manage/orders', '/api/%2e%2e/api/manage/orders']) {
      const reply = await rawGet(host.url, path, ADMIN);
      expect(reply.status, `${path}: ${reply.body}`).toBe(404);
      expect(JSON.parse(reply.body)).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('still answers the exact spelling', async () => {
    expect((await call(host.url, 'GET', '/api/manage/orders', { headers: ADMIN })).status).toBe(200);
    expect((await call(host.url, 'GET', '/api/products')).status).toBe(200);
  });
});
