import { describe, expect, it } from 'vitest';
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
    expect(variables.base).toBe('http://127.0.0.1:7071/api');
  });
});
