import { z } from 'zod';
import { ROUTE_PREFIX, STATE_CHANGING_METHODS } from '../types.js';
import { PRINCIPAL_HEADER } from '../principal.js';
import * as reply from './responses.js';
import { contract, type RouteContract } from './routes.js';

type JsonSchema = Record<string, unknown>;

/** Request schemas as clients send them (before transforms and defaults), replies as they arrive. */
const jsonSchema = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' });
  return rest;
};

/**
 * Reply schemas by their name in responses.ts, so each appears once under components and is
 * referenced; sorted, as a module namespace lists its exports in an order that depends on the loader.
 */
const replyNames = new Map<unknown, string>(
  Object.entries(reply)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, schema]) => [schema, name[0]!.toUpperCase() + name.slice(1)]),
);

function replySchema(schema: z.ZodType): JsonSchema {
  const name = replyNames.get(schema);
  if (!name) throw new Error('a reply schema of the contract is not exported from responses.ts');
  return { $ref: `#/components/schemas/${name}` };
}

/** Path or query parameters from the properties of an object schema. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

/** Raw bytes: OpenAPI 3.1 describes a binary body by its media type alone, without a schema. */
const bytes = {};

/**
 * A change whose route reads no body still needs Content-Type: application/json (the pipeline
 * answers 415 otherwise, so that no other site's form can send it); a client built from this
 * document learns it here, as OpenAPI ignores a Content-Type header parameter.
 */
const noBodyButJson = {
  required: false,
  description: 'No body is read, but send Content-Type: application/json all the same: a change without it is refused with 415.',
  content: { 'application/json': {} },
};

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorReply' } } };
const error = (description: string) => ({ description, content: errorContent });

function operation(name: string, entry: RouteContract) {
  const replies: Record<string, unknown> = {};
  for (const [status, schema] of Object.entries(entry.replies)) {
    const content = entry.rawReply
      ? { [entry.rawReply]: bytes }
      : schema
        ? { 'application/json': { schema: replySchema(schema) } }
        : status === '204'
          ? undefined
          : { 'application/json': { schema: { type: 'object' } } };
    replies[status] = { description: status === '503' ? 'Degraded' : 'Success', ...(content && { content }) };
  }
  if (entry.role) {
    replies['401'] = error('Not signed in');
    replies['403'] = error(`Signed in without the ${entry.role} role`);
  }
  if (entry.rateLimit) replies['429'] = error(`Past this client's ${entry.rateLimit} limit (RATE_LIMIT_${entry.rateLimit.toUpperCase()}); Retry-After says when to try again`);
  replies.default = error('An error: 400 bad input, 404 unknown id, 409 stale version or illegal move, 415, 503 …');
  const body = entry.body
    ? { required: true, content: { 'application/json': { schema: jsonSchema(entry.body, 'input') } } }
    : entry.rawBody
      ? { required: true, content: Object.fromEntries(entry.rawBody.map((type) => [type, bytes])) }
      : STATE_CHANGING_METHODS.has(entry.method)
        ? noBodyButJson
        : undefined;
  return {
    operationId: name,
    summary: entry.summary,
    ...(entry.role && { security: [{ staticWebAppsPrincipal: [entry.role] }] }),
    parameters: [...parameters(entry.params, 'path'), ...parameters(entry.query, 'query')],
    ...(body && { requestBody: body }),
    responses: replies,
  };
}

function build() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, entry] of Object.entries(contract) as Array<[string, RouteContract]>) {
    const path = `${ROUTE_PREFIX}${entry.route}`;
    (paths[path] ??= {})[entry.method.toLowerCase()] = operation(name, entry);
  }
  return {
    openapi: '3.1.1',
    info: {
      title: 'BestBuy Store API',
      version: '1.0.0',
      description: 'The store\'s HTTP API, generated from the zod schemas it validates with (functions/src/http/contract). Errors are {error:{code,message,details}}.',
    },
    paths,
    components: {
      schemas: Object.fromEntries([...replyNames].map(([schema, name]) => [name, jsonSchema(schema as z.ZodType, 'output')])),
      securitySchemes: {
        staticWebAppsPrincipal: {
          type: 'apiKey',
          in: 'header',
          name: PRINCIPAL_HEADER,
          description:
            'Set by Azure Static Web Apps for a signed-in user: base64 JSON with userRoles. Routes under /api/manage/ need the "admin" role, those under /api/me/ the "authenticated" role every signed-in user has (staticwebapp.config.json and the API both check it).',
        },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof build>;

let built: Readonly<OpenApiDocument> | undefined;

/** The OpenAPI 3.1 document of the API, built once per process; frozen, so the pipeline serializes it once too. */
export function openApiDocument(): Readonly<OpenApiDocument> {
  built ??= Object.freeze(build());
  return built;
}
