import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definitions, type HttpDefinition } from '../../src/definitions.js';
import { openApiDocument } from '../../src/http/contract/openapi.js';

/**
 * The OpenAPI document is the API's contract (GET /api/openapi.json, the web clients' types): a
 * route of the function table missing from it, or an entry no route serves, would be a lie.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const document = openApiDocument();
const routes = definitions.filter((definition): definition is HttpDefinition => definition.kind === 'http');

interface Operation {
  operationId: string;
  security?: Array<Record<string, string[]>>;
  parameters: Array<{ name: string; in: string; required: boolean; schema: object }>;
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
}

const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({ path, method, operation })),
);
const keyOf = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

/** Every "$ref" anywhere in the value. */
function refs(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(refs);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => (key === '$ref' && typeof inner === 'string' ? [inner] : refs(inner)));
}

describe('the OpenAPI document', () => {
  it('has one entry for each HTTP route of the function table, and no other', () => {
    const fromRoutes = routes.flatMap((route) => route.methods.map((method) => keyOf(method, `/api/${route.route}`))).sort();
    const fromDocument = operations.map(({ method, path }) => keyOf(method, path)).sort();
    expect(new Set(fromRoutes).size).toBe(fromRoutes.length);
    expect(fromDocument).toEqual(fromRoutes);
  });

  it('names each operation after the function that serves it', () => {
    const served = new Map(routes.flatMap((route) => route.methods.map((method) => [keyOf(method, `/api/${route.route}`), route.name])));
    for (const { method, path, operation } of operations) expect(operation.operationId, keyOf(method, path)).toBe(served.get(keyOf(method, path)));
  });

  it('marks exactly the admin routes as needing the admin role, through the Static Web Apps principal', () => {
    const scheme = document.components.securitySchemes.staticWebAppsPrincipal;
    expect(scheme).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-ms-client-principal' });
    const roleOf = new Map(routes.map((route) => [`/api/${route.route} ${route.methods[0]}`, route.role]));
    for (const { method, path, operation } of operations) {
      const role = roleOf.get(`${path} ${method.toUpperCase()}`);
      if (role) {
        expect(operation.security, keyOf(method, path)).toEqual([{ staticWebAppsPrincipal: [role] }]);
        expect(Object.keys(operation.responses), keyOf(method, path)).toEqual(expect.arrayContaining(['401', '403']));
      } else {
        expect(operation.security, keyOf(method, path)).toBeUndefined();
      }
    }
    expect(operations.filter(({ operation }) => operation.security).length).toBe(routes.filter((route) => route.role).length);
  });

  it('is OpenAPI 3.1 in shape: version, info, paths of operations with responses, components that every $ref finds', () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const [path, item] of Object.entries(document.paths)) {
      expect(path).toMatch(/^\/api\//);
      for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
        expect(METHODS).toContain(method);
        expect(Object.keys(operation.responses).length, path).toBeGreaterThan(0);
        for (const [status, reply] of Object.entries(operation.responses)) {
          expect(status, path).toMatch(/^([1-5]\d\d|default)$/);
          expect(reply.description, path).toEqual(expect.any(String));
        }
        // Each {name} of the path is a required path parameter, and every path parameter is in the path.
        const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
        const declared = operation.parameters.filter((parameter) => parameter.in === 'path');
        expect(declared.map((parameter) => parameter.name).sort(), path).toEqual(inPath.sort());
        expect(declared.every((parameter) => parameter.required)).toBe(true);
      }
    }
    const schemas = document.components.schemas as Record<string, unknown>;
    const unresolved = refs(document).filter((ref) => !(ref.startsWith('#/components/schemas/') && ref.slice(21) in schemas));
    expect(unresolved).toEqual([]);
    // JSON Schema 2020-12, OpenAPI 3.1's dialect: no draft-04 leftovers such as a boolean exclusiveMinimum.
    expect(JSON.stringify(document)).not.toMatch(/"exclusive(Minimum|Maximum)":(true|false)|"nullable":/);
  });

  it('describes request bodies as clients send them: a limit is a string of digits, an AI description\'s tags may be left out', () => {
    const products = (document.paths['/api/products'] as Record<string, Operation>).get!;
    expect(products.parameters.find((parameter) => parameter.name === 'limit')).toMatchObject({ in: 'query', required: false, schema: { type: 'string' } });
    const describe = (document.paths['/api/manage/ai/description'] as Record<string, { requestBody: { content: Record<string, { schema: { required: string[] } }> } }>).post!;
    expect(describe.requestBody.content['application/json']!.schema.required).toEqual(['name']);
    const board = (document.paths['/api/manage/orders'] as Record<string, Operation>).get!;
    expect(board.parameters.find((parameter) => parameter.name === 'number')!.schema).toMatchObject({ type: 'string', description: expect.stringContaining('"BB-" optional') });
  });

  it('tells a client of every change which Content-Type to send, even when no body is read (the API answers 415 without it)', () => {
    const changes = operations.filter(({ method }) => ['post', 'put', 'delete'].includes(method));
    expect(changes.map(({ operation }) => operation.operationId)).toContain('cancelOrder');
    for (const { path, method, operation } of changes) {
      const body = (operation as Operation & { requestBody?: { content?: Record<string, unknown> } }).requestBody;
      const route = routes.find((definition) => keyOf(definition.methods[0]!, `/api/${definition.route}`) === keyOf(method, path))!;
      expect(Object.keys(body?.content ?? {}), keyOf(method, path)).toEqual(route.bodyTypes ?? ['application/json']);
    }
  });
});

describe('GET /api/openapi.json behind Static Web Apps', () => {
  const config = JSON.parse(readFileSync('web/public/staticwebapp.config.json', 'utf8')) as {
    routes: Array<{ route: string; allowedRoles?: string[] }>;
    navigationFallback: { exclude: string[] };
  };
  // Route patterns end in at most one "*" (configuration docs: wildcards only at the end).
  const matches = (pattern: string, path: string) => (pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern);

  it('is open to anyone: the first route rule it meets, if any, asks for no role', () => {
    const rule = config.routes.find((each) => matches(each.route, '/api/openapi.json'));
    expect(rule?.allowedRoles).toBeUndefined();
  });

  it('is not swallowed by the storefront\'s navigation fallback', () => {
    expect(config.navigationFallback.exclude.some((pattern) => matches(pattern, '/api/openapi.json'))).toBe(true);
  });
});
