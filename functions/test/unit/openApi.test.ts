import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { definitions, type HttpDefinition } from '../../src/definitions.js';
import { openApiDocument } from '../../src/http/contract/openapi.js';
import { contract, type RouteContract } from '../../src/http/contract/routes.js';
import { OPENAPI_FILE, openApiText } from '../../src/local/openApiFile.js';

/**
 * The OpenAPI document is the API's contract as clients read it (GET /api/openapi.json). It is
 * generated from http/contract/routes.ts, so these tests check what generation cannot promise:
 * that it matches the reviewed copy in docs/openapi.json (a change to the API shows up there in
 * the diff, `npm run openapi` rewrites it), that every route of the contract is served, and
 * that the document is well-formed OpenAPI 3.1.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const document = openApiDocument();
const routes = definitions.filter((definition): definition is HttpDefinition => definition.kind === 'http');
const entries = Object.entries(contract) as Array<[string, RouteContract]>;

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
  it('is the reviewed copy in docs/openapi.json (run `npm run openapi` after changing the contract)', () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiText());
  });

  it('has one operation for each route of the contract, each served by one function of the same name', () => {
    expect(routes.map((route) => route.name).sort()).toEqual(entries.map(([name]) => name).sort());
    const fromContract = entries.map(([name, entry]) => `${keyOf(entry.method, `/api/${entry.route}`)} ${name}`).sort();
    expect(new Set(fromContract.map((key) => key.split(' ').slice(0, 2).join(' '))).size).toBe(fromContract.length);
    expect(operations.map(({ method, path, operation }) => `${keyOf(method, path)} ${operation.operationId}`).sort()).toEqual(fromContract);
  });

  it('marks exactly the routes with a role as needing it, through the Static Web Apps principal', () => {
    const scheme = document.components.securitySchemes.staticWebAppsPrincipal;
    expect(scheme).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-ms-client-principal' });
    for (const { method, path, operation } of operations) {
      const entry = contract[operation.operationId as keyof typeof contract] as RouteContract;
      if (entry.role) {
        expect(operation.security, keyOf(method, path)).toEqual([{ staticWebAppsPrincipal: [entry.role] }]);
        expect(Object.keys(operation.responses), keyOf(method, path)).toEqual(expect.arrayContaining(['401', '403']));
      } else {
        expect(operation.security, keyOf(method, path)).toBeUndefined();
      }
    }
    expect(operations.filter(({ operation }) => operation.security).length).toBe(entries.filter(([, entry]) => entry.role).length);
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
      const entry = contract[operation.operationId as keyof typeof contract] as RouteContract;
      expect(Object.keys(body?.content ?? {}), keyOf(method, path)).toEqual(entry.rawBody ?? ['application/json']);
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
