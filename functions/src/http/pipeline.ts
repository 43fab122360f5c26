import { createHash, randomUUID } from 'node:crypto';
import { StoreError, type ErrorKind } from '../domain/errors.js';
import { services } from '../composition.js';
import type { Logger } from '../ports.js';
import { MAX_BODY_BYTES, type ApiRequest, type ApiResponse, type HttpHandler, type HttpRuntime, type WireResponse } from './types.js';

const STATUS_OF: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  unavailable: 503,
  timeout: 504,
};

const BASE_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-cache',
};

export function errorBody(code: string, message: string, details: readonly unknown[] = []) {
  return { error: { code, message, details } };
}

/** An error reply for requests that never reach a handler (unknown route, wrong method). */
export function errorReply(status: number, code: string, message: string, headers: Record<string, string> = {}): WireResponse {
  return { status, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(errorBody(code, message)) };
}

function fromError(error: unknown, log: Logger): ApiResponse {
  if (error instanceof StoreError) {
    // A StoreError standing for another service's failure keeps that failure for the log.
    if (error.cause !== undefined) log.warn(`${error.code}: ${error.message}`, error.cause);
    const retryAfter = error.retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(error.retryAfterSeconds) } };
    return { status: STATUS_OF[error.kind], ...retryAfter, body: errorBody(error.code, error.message, error.details) };
  }
  // Never a stack trace to the client: log it under an id the client can quote.
  const incident = randomUUID();
  log.error(`unhandled error, incident ${incident}`, error);
  return { status: 500, body: errorBody('internal', `Something went wrong on our side (incident ${incident}).`) };
}

interface Serialized {
  text: string;
  etag?: string;
}

/** Frozen bodies (cached catalog pages) cannot change, so their JSON and ETag are computed once. */
const serializedFrozen = new WeakMap<object, Serialized>();

function serialize(body: unknown): Serialized {
  const frozen = typeof body === 'object' && body !== null && Object.isFrozen(body);
  const known = frozen ? serializedFrozen.get(body) : undefined;
  if (known) return known;
  const serialized: Serialized = { text: JSON.stringify(body) };
  if (frozen) serializedFrozen.set(body, serialized);
  return serialized;
}

/** Strong ETag over the exact bytes sent, so any change to the resource changes it. */
function etagOf(serialized: Serialized): string {
  serialized.etag ??= `"${createHash('sha1').update(serialized.text).digest('base64url')}"`;
  return serialized.etag;
}

function matchesEtag(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag;
  });
}

/**
 * Runs one handler: refuses oversized bodies, maps errors to JSON, serializes, and answers
 * conditional GETs with 304. Both the Azure registration and the local host call this.
 */
export async function runHttp(
  handler: HttpHandler,
  request: ApiRequest,
  log: Logger,
  maxBodyBytes = MAX_BODY_BYTES,
  runtime: HttpRuntime = {},
): Promise<WireResponse> {
  let response: ApiResponse;
  if (request.bytes === null) {
    const limit = `${Math.round(maxBodyBytes / 1024 / 1024)} MB`;
    response = { status: 413, body: errorBody('payload_too_large', `The request body is larger than ${limit}.`) };
  } else {
    try {
      response = await handler(request, await services(log), log, runtime);
    } catch (error) {
      response = fromError(error, log);
    }
  }
  const headers: Record<string, string> = { ...BASE_HEADERS, ...response.headers };
  if (response.raw) {
    return { status: response.status, headers: { ...headers, 'content-type': response.raw.contentType }, body: response.raw.bytes };
  }
  if (response.body === undefined) {
    delete headers['content-type'];
    return { status: response.status, headers };
  }
  const serialized = serialize(response.body);
  if (request.method === 'GET' && response.status === 200) {
    const etag = etagOf(serialized);
    headers.etag = etag;
    if (matchesEtag(request.headers.get('if-none-match'), etag)) {
      delete headers['content-type'];
      return { status: 304, headers };
    }
  }
  return { status: response.status, headers, body: serialized.text };
}
