import type { EnrichmentClient, Logger, Principal, Services } from '../ports.js';
import type { RawReply, RouteContract, RouteInput, RouteName, RouteReply } from './contract/routes.js';

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

/** A reply as the pipeline serializes it: a handler's (typed by its route, RouteReply) or an error. */
export interface ApiResponse {
  status: number;
  /** Serialized as JSON. */
  body?: unknown;
  /**
   * Sent as is instead of JSON: a stored picture, or an export written while it is read (chunks
   * sent as they come, so a large export is never whole in memory).
   */
  raw?: RawReply;
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

/** What route N's handler is handed: the request as received (headers, bytes), with its inputs parsed by the route's schemas. */
export type RouteRequest<N extends RouteName> = Omit<ApiRequest, 'params' | 'body'> & RouteInput<N>;

/** The handler of route N (http/contract/routes.ts): its input and its reply are the route's own. */
export type RouteHandler<N extends RouteName> = (request: RouteRequest<N>, services: Services, log: Logger, runtime: HttpRuntime) => Promise<RouteReply<N>>;

/** Any route's request, as the pipeline builds it before it knows which route's it is. */
export type ParsedRequest = Omit<ApiRequest, 'params' | 'body'> & { params: unknown; query: unknown; body: unknown; principal: Principal | undefined };

/** One route as the pipeline runs it, whichever host received the request: its contract and its handler. */
export interface HttpEndpoint {
  contract: RouteContract;
  /** A RouteHandler of that contract's route (a method, so each route's narrower handler fits here). */
  handler(request: ParsedRequest, services: Services, log: Logger, runtime: HttpRuntime): Promise<ApiResponse>;
}
