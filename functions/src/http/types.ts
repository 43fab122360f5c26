import type { EnrichmentClient, Logger, Principal, Services } from '../ports.js';
import type { Role } from './principal.js';
import type { RateLimitName } from '../domain/rateLimit.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Bodies above this are refused with 413 before a handler sees them, unless a route allows more. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Every route lives below this: host.json's extensions.http.routePrefix "api". */
export const ROUTE_PREFIX = '/api/';

/** Methods that change something: they must not be sendable by another site's page (see pipeline.ts). */
export const STATE_CHANGING_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A request as both the Functions host and the local host can hand it over. */
export interface ApiRequest {
  method: string;
  url: URL;
  params: Readonly<Record<string, string>>;
  headers: { get(name: string): string | null };
  /** The body as text; null when it was larger than the route allows. */
  body: string | null;
  /** The same body as bytes, for uploads; null when too large. */
  bytes: Buffer | null;
  /** The socket's peer, where the host knows it (the local host); on Azure the edge's header says (CLIENT_ADDRESS_HEADER). */
  remoteAddress?: string | undefined;
}

export interface ApiResponse {
  status: number;
  /** Serialized as JSON. */
  body?: unknown;
  /**
   * Sent as is instead of JSON: a stored picture, or an export written while it is read (chunks
   * sent as they come, so a large export is never whole in memory).
   */
  raw?: { bytes: Uint8Array | AsyncIterable<Uint8Array>; contentType: string };
  headers?: Record<string, string>;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body?: string | Uint8Array | AsyncIterable<Uint8Array>;
}

/**
 * What the host running a handler offers beyond the services: the Azure registration passes a
 * durable client to the routes that ask for one (HttpDefinition.durableClient); the local host,
 * having no Durable Task engine, passes its own engine for the same orchestration (local/enrichmentEngine.ts).
 */
export interface HttpRuntime {
  enrichment?: EnrichmentClient | undefined;
}

export type HttpHandler = (request: ApiRequest, services: Services, log: Logger, runtime?: HttpRuntime) => Promise<ApiResponse>;

/** A request from a caller the pipeline has checked for the route's role: who it is, for the audit log. */
export interface EmployeeRequest extends ApiRequest {
  principal: Principal;
}

export type EmployeeHandler = (request: EmployeeRequest, services: Services, log: Logger, runtime?: HttpRuntime) => Promise<ApiResponse>;

/** A signed-in customer's route (role `authenticated`): handed who they are the same way. */
export type CustomerHandler = EmployeeHandler;

/** One route as the pipeline runs it, whichever host received the request. */
export type HttpEndpoint = {
  /** Below ROUTE_PREFIX, e.g. "orders/{id}"; a request must spell it exactly. */
  route: string;
  /** Larger bodies get 413; MAX_BODY_BYTES unless the route needs more (image uploads). */
  maxBodyBytes?: number;
  /** The Content-Types a state-changing request may declare; application/json unless the route takes other bytes. */
  bodyTypes?: readonly string[];
  /** The per-client limit the pipeline counts this route's requests against (the contract's rateLimit). */
  rateLimit?: RateLimitName;
} & (
  | { role?: undefined; handler: HttpHandler }
  /** Only callers holding the role reach the handler: the pipeline answers 401 or 403 first. */
  | { role: Role; handler: EmployeeHandler }
);
