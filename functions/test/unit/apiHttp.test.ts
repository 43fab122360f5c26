import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { contract, type RouteContract } from '../../src/http/contract/routes.js';
import { parseApiHttp } from '../support/apiHttp.js';

/** api.http is the contract by example: one request for every route, each naming the route it calls. */

const routes = contract as Record<string, RouteContract>;
const { examples, variables } = parseApiHttp();

/** Whether a URL of api.http ({{base}}/…, {{…}} standing for a parameter) spells the route. */
function spells(url: string, route: string): boolean {
  const path = url.replace(/^\{\{base\}\}\//, '').split('?')[0]!;
  const got = path.split('/');
  const want = route.split('/');
  return got.length === want.length && want.every((part, index) => (/^\{\w+\}$/.test(part) ? got[index] !== '' : part === got[index]));
}

describe('api.http', () => {
  it('has an example for every route of the contract, and one example per name', () => {
    expect([...new Set(examples.map((example) => example.route))].sort()).toEqual(Object.keys(routes).sort());
    expect(new Set(examples.map((example) => example.name)).size).toBe(examples.length);
  });

  it('names a route in every example, and calls it with its method and path', () => {
    for (const example of examples) {
      const route = routes[example.route];
      expect(route, `example "${example.name}" names no route`).toBeDefined();
      expect(example.method, example.name).toBe(route!.method);
      expect(spells(example.url, route!.route), `${example.name}: ${example.url} is not /api/${route!.route}`).toBe(true);
    }
  });

  it('signs in as an admin for the admin routes, as a customer for the me/ routes, and sends a body to each route that takes one', () => {
    const signedInAs = { admin: '{{admin}}', authenticated: '{{customer}}' } as const;
    for (const example of examples) {
      const route = routes[example.route]!;
      expect(example.headers['x-ms-client-principal'], example.name).toBe(route.role ? signedInAs[route.role] : undefined);
      expect(example.body !== undefined || example.bodyFile !== undefined, example.name).toBe(Boolean(route.body ?? route.rawBody));
    }
    const principal = JSON.parse(Buffer.from(variables.admin!, 'base64').toString('utf8'));
    expect(principal.userRoles).toEqual(expect.arrayContaining(['authenticated', 'admin']));
    const customer = JSON.parse(Buffer.from(variables.customer!, 'base64').toString('utf8'));
    expect(customer.userRoles).toEqual(['anonymous', 'authenticated']);
  });

  it('takes {{base}} from outside the file, the same default for REST Client and httpyac: the local host', () => {
    // A file variable would win over httpyac's --var (and REST Client's environments).
    expect(variables.base).toBeUndefined();
    const restClient = JSON.parse(readFileSync('.vscode/settings.json', 'utf8'))['rest-client.environmentVariables'].$shared.base;
    const httpyac = createRequire(import.meta.url)(resolve('httpyac.config.cjs')).environments.$default.base;
    const localHost = `http://127.0.0.1:${readConfig({}).local.port}/api`;
    expect({ restClient, httpyac }).toEqual({ restClient: localHost, httpyac: localHost });
  });

  it('refers only to its own variables, $guid, and replies of requests above, in the syntax both tools resolve', () => {
    const above = new Set<string>();
    for (const example of examples) {
      const text = [example.url, ...Object.values(example.headers), example.body ?? ''].join('\n');
      for (const [, reference] of text.matchAll(/\{\{\s*([^}]+?)\s*\}\}/g)) {
        const reply = /^(\w+)\.response\.body\.\$(?:\.\w+|\[\d+\])+$/.exec(reference!);
        if (reply) expect(above.has(reply[1]!), `${example.name}: {{${reference}}} names no request above it`).toBe(true);
        else expect(['base', '$guid', ...Object.keys(variables)], `${example.name}: {{${reference}}}`).toContain(reference);
      }
      above.add(example.name);
    }
  });
});
