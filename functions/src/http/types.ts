import type { Logger } from '../ports.js';
import type { Services } from '../composition.js';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Bodies above this are refused with 413 before a handler sees them. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A request as both the Functions host and the local host can hand it over. */
export interface ApiRequest {
  method: string;
  url: URL;
  params: Readonly<Record<string, string>>;
  headers: { get(name: string): string | null };
  /** The body as text; null when it was larger than MAX_BODY_BYTES. */
  body: string | null;
}

export interface ApiResponse {
  status: number;
  /** Serialized as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

export type HttpHandler = (request: ApiRequest, services: Services, log: Logger) => Promise<ApiResponse>;
