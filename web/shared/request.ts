/** Both apps' one way to call the store's HTTP API (/api/…), and how a failed call reads. */

import type { ErrorDetail } from '../../functions/src/http/contract/responses';
import type { Contract, ReplyOf, RouteName } from '../../functions/src/http/contract/routes';

export type { ErrorDetail };

/** A route template of the contract, below /api/: "orders/{id}/cancel". */
export type Route = Contract[RouteName]['route'];
/** The names of a template's parameters: "orders/{id}/cancel" gives "id". */
type ParamNames<R extends string> = R extends `${string}{${infer P}}${infer Rest}` ? P | ParamNames<Rest> : never;
/** The name of the route that answers method M at template R. */
export type RouteAt<M extends string, R extends Route> = { [N in RouteName]: Contract[N] extends { method: M; route: R } ? N : never }[RouteName];
/** The methods some route answers at template R. */
export type MethodAt<R extends Route> = { [N in RouteName]: Contract[N] extends { route: R } ? Contract[N]['method'] : never }[RouteName];
/** What GET at template R answers. */
export type GetReply<R extends Route> = ReplyOf<RouteAt<'GET', R>>;

declare const template: unique symbol;
/** A path below /api made from a route template of the contract: what request() and its callers take. */
export type ApiPath<R extends Route = Route> = string & { readonly [template]: R };

/** Query values; empty ones (undefined, null, '', 0) are left out. */
type Query = Record<string, string | number | null | undefined>;

/**
 * The path of template R with its parameters %-encoded and the query's values that are set (not
 * empty, null or 0: no query of the API takes a 0). R must
 * be one of the contract's templates (a type-only import: nothing of the contract reaches the
 * bundle), so a route whose path changes fails the type check of every caller.
 */
export const apiPath = ((route: string, params: Record<string, string>, query: Query = {}) => {
  // Kept short: the storefront's first load carries it (a 15 KB budget).
  const search = new URLSearchParams(Object.entries(query).filter(([, value]) => value) as string[][]);
  return `/${route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name]!))}${search.size ? '?' : ''}${search}`;
}) as <R extends Route>(
  route: R,
  ...args: [ParamNames<R>] extends [never] ? [params?: Record<string, never>, query?: Query] : [params: Record<ParamNames<R>, string>, query?: Query]
) => ApiPath<R>;

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

export async function request(path: ApiPath, init: RequestInit = {}): Promise<Response> {
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

