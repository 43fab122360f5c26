import type { z } from 'zod';
import { duplicateKey, invalidJson, invalidRequest, type ErrorDetail } from '../domain/errors.js';
import { duplicateKeyPath } from './duplicateKeys.js';
import type { ApiRequest } from './types.js';

export function zodDetails(error: z.ZodError): ErrorDetail[] {
  return error.issues.map((issue) => ({ path: issue.path.join('.') || '(body)', message: issue.message }));
}

function validate<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw invalidRequest(where, zodDetails(result.error));
  }
  return result.data;
}

/** The JSON body; the pipeline has already refused any Content-Type but application/json. */
export function parseBody<S extends z.ZodType>(request: ApiRequest, schema: S): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(request.body ?? '');
  } catch (error) {
    throw invalidJson((error as Error).message);
  }
  const duplicate = duplicateKeyPath(request.body!);
  if (duplicate !== null) throw duplicateKey(duplicate);
  return validate(schema, json, 'body');
}

export function parseParams<S extends z.ZodType>(request: ApiRequest, schema: S): z.infer<S> {
  return validate(schema, { ...request.params }, 'path');
}

/** Query parameters by name, first value wins; names the schema does not know are ignored. */
export function parseQuery<S extends z.ZodType>(request: ApiRequest, schema: S): z.infer<S> {
  const query: Record<string, string> = {};
  for (const [name, value] of request.url.searchParams) query[name] ??= value;
  return validate(schema, query, 'query');
}
