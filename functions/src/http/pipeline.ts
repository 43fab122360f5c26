import { createHash, randomUUID } from 'node:crypto';
import { StoreError, type ErrorKind } from '../domain/errors.js';
import type { Logger, ServicesSource } from '../ports.js';
import { parseBody, parseParams, parseQuery } from './parse.js';
import { PRINCIPAL_HEADER, requireRole } from './principal.js';
import { enforceRateLimit } from './rateLimit.js';
import {
  MAX_BODY_BYTES,
  ROUTE_PREFIX,
  STATE_CHANGING_METHODS,
  type ApiRequest,
  type ApiResponse,
  type HttpEndpoint,
  type HttpRuntime,
  type ParsedRequest,
  type WireResponse,
} from './types.js';

const STATUS_OF: Record<ErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payment_required: 402,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
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
export function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): WireResponse {
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
 * Whether the path spells the route template exactly: same case, one slash between segments, no
 * trailing slash, a non-empty segment for each parameter. Both the Functions host and the local
 * host match routes case-insensitively and let `//` through, while Static Web Apps' route rules
 * (e.g. /api/manage/* for admins only) compare as written, so any other spelling would walk
 * past a rule into the handler.
 */
function spellsRoute(template: string, pathname: string): boolean {
  if (!pathname.startsWith(ROUTE_PREFIX)) return false;
  const want = template.split('/');
  const got = pathname.slice(ROUTE_PREFIX.length).split('/');
  return want.length === got.length && want.every((part, index) => (/^\{\w+\}$/.test(part) ? got[index] !== '' : part === got[index]));
}

const got = (path: string, value: string) => ({ path, message: `got "${value.slice(0, 100)}"` });

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();

/** The host names this request was addressed to: its Host, and what the proxies in front say it was. */
function ownHosts(request: ApiRequest): Set<string> {
  const hosts = new Set<string>();
  const add = (host: string | null | undefined) => {
    for (const each of host?.split(',') ?? []) if (each.trim()) hosts.add(each.trim().toLowerCase());
  };
  add(request.headers.get('host'));
  add(request.headers.get('x-forwarded-host'));
  // Static Web Apps calls the API on the Function App's own host name and keeps the public URL here.
  const original = request.headers.get('x-ms-original-url');
  if (original && URL.canParse(original)) add(new URL(original).host);
  return hosts;
}

/**
 * Why the request is refused before any handler runs, or null. A page on another site can make a
 * browser send a form (or a no-cors fetch) with the user's cookies, but only with a urlencoded,
 * multipart or text/plain body and its own Origin; anything else needs a CORS preflight, which
 * this API never grants. So a state-changing request must declare one of its route's body types
 * (application/json unless the route takes other bytes), even without a body, and must not come
 * from a foreign Origin.
 */
function refusal({ contract }: HttpEndpoint, request: ApiRequest): ApiResponse | null {
  if (!spellsRoute(contract.route, request.url.pathname)) {
    return { status: 404, body: errorBody('not_found', 'No such API route.') };
  }
  const contentType = request.headers.get('content-type') ?? '';
  // Two Content-Type headers arrive joined by a comma: which one the body is cannot be told.
  if (contentType.includes(',')) {
    return { status: 400, body: errorBody('ambiguous_content_type', 'Send one Content-Type header.', [got('content-type', contentType)]) };
  }
  if (STATE_CHANGING_METHODS.has(request.method)) {
    const origin = request.headers.get('origin');
    // A browser's own word (no page can set Sec-Fetch-Site) covers proxies that pass no host we know.
    const sameOrigin = request.headers.get('sec-fetch-site') === 'same-origin';
    if (origin !== null && !sameOrigin && !(URL.canParse(origin) && ownHosts(request).has(new URL(origin).host))) {
      return { status: 403, body: errorBody('foreign_origin', 'This request came from a page on another site.', [got('origin', origin)]) };
    }
    const allowed = contract.rawBody ?? ['application/json'];
    if (!allowed.includes(mediaType(contentType))) {
      return {
        status: 415,
        body: errorBody('unsupported_media_type', `Send Content-Type ${allowed.join(' or ')}; a request that changes something needs it even without a body.`, [
          got('content-type', contentType),
        ]),
      };
    }
  }
  if (request.bytes === null) {
    const limit = `${Math.round((contract.maxBodyBytes ?? MAX_BODY_BYTES) / 1024 / 1024)} MB`;
    return { status: 413, body: errorBody('payload_too_large', `The request body is larger than ${limit}.`) };
  }
  return null;
}

/**
 * The request as the route's handler takes it: the caller checked for the route's role (before
 * the services, so a caller without it reaches neither the store nor the handler), then the path
 * parameters, query and JSON body parsed with the route's schemas, in that order.
 */
function parsedRequest({ contract }: HttpEndpoint, request: ApiRequest): ParsedRequest {
  const principal = contract.role ? requireRole(request.headers.get(PRINCIPAL_HEADER), contract.role) : undefined;
  return {
    ...request,
    principal,
    params: contract.params && parseParams(request, contract.params),
    query: contract.query && parseQuery(request, contract.query),
    body: contract.body && parseBody(request, contract.body),
  };
}

/**
 * Runs one route's handler: refuses what must never reach it (another spelling of the route,
 * a request another site could have made, an oversized body, a caller without the route's role,
 * input its schemas refuse, a client past the route's rate limit), maps errors to JSON,
 * serializes, and answers conditional GETs with 304. Both the Azure registration and the local
 * host call this, each with the services it keeps.
 */
export async function runHttp(
  endpoint: HttpEndpoint,
  request: ApiRequest,
  services: ServicesSource,
  log: Logger,
  runtime: HttpRuntime = {},
): Promise<WireResponse> {
  let response = refusal(endpoint, request);
  if (!response) {
    try {
      const parsed = parsedRequest(endpoint, request);
      const started = await services(log);
      // Before the handler: a client past its limit costs one counter write and no store work.
      const { rateLimit } = endpoint.contract;
      if (rateLimit) await enforceRateLimit(rateLimit, request, parsed.principal, started);
      response = await endpoint.handler(parsed, started, log, runtime);
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
