/**
 * The store's HTTP API, as the storefront uses it. The shapes are the API's own contract
 * (functions/src/http/contract, served as /api/openapi.json): a type-only import, erased from the
 * bundle, so a change to a reply fails this client's type check instead of drifting from it.
 */
import type { ErrorDetail } from '../../../functions/src/http/contract/responses';
import type { ReplyOf } from '../../../functions/src/http/contract/routes';

export type { ErrorDetail, Order, OrderStatus, Product, ProductPage } from '../../../functions/src/http/contract/responses';
export type { BodyOf, ReplyOf } from '../../../functions/src/http/contract/routes';

/** Why a call failed: `status` 0 means the network, not the store, failed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** Ids are url-safe tokens of 1-64 characters; anything else cannot name a product or order. */
export const isId = (id: string) => /^[A-Za-z0-9_-]{1,64}$/.test(id);

export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch {
    throw new ApiError(0, 'network', 'We could not reach the store. Check your connection and try again.');
  }
  if (response.ok || response.status === 304) return response;
  let error: { code?: string; message?: string; details?: ErrorDetail[] } = {};
  try {
    error = ((await response.json()) as { error?: typeof error }).error ?? {};
  } catch {
    // not the API's JSON (a proxy or gateway page): the status alone tells the story
  }
  throw new ApiError(response.status, error.code ?? 'http_' + response.status, error.message ?? 'The store could not answer right now. Please try again.', error.details ?? []);
}

export async function getJson<T>(path: string): Promise<T> {
  return (await (await request(path)).json()) as T;
}

export function listProducts(query: { q?: string; tag?: string; cursor?: string | null; limit?: number }): Promise<ReplyOf<'getProducts'>> {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.tag) params.set('tag', query.tag);
  if (query.cursor) params.set('cursor', query.cursor);
  params.set('limit', String(query.limit ?? 12));
  return getJson(`/products?${params}`);
}
