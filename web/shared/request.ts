/** Both apps' one way to call the store's HTTP API (/api/…), and how a failed call reads. */

import type { ErrorDetail } from '../../functions/src/http/contract/responses';
import type { BodyOf, Contract, ReplyOf, RouteName } from '../../functions/src/http/contract/routes';

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

type Query = Record<string, string | number | null | undefined>;

/**
 * The path of template R with its parameters %-encoded and the query's non-empty values. R must
 * be one of the contract's templates (a type-only import: nothing of the contract reaches the
 * bundle), so a route whose path changes fails the type check of every caller.
 */
export function apiPath<R extends Route>(
  route: R,
  ...[params, query = {}]: [ParamNames<R>] extends [never] ? [params?: Record<string, never>, query?: Query] : [params: Record<ParamNames<R>, string>, query?: Query]
): ApiPath<R> {
  const path = route.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent((params as Record<string, string>)[name]!));
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  const text = search.toString();
  return `/${path}${text ? `?${text}` : ''}` as ApiPath<R>;
}

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

/** The body a route takes: nothing for those that take none. */
type BodyArgument<N extends RouteName> = [BodyOf<N>] extends [never] ? [] : [body: BodyOf<N>];

/**
 * A change (POST, PUT, DELETE) at a path of the contract: the method must be one the route at
 * that path answers, and the body and reply are that route's own. It always declares
 * application/json, a body or not: the API refuses changes without it, as they are what another
 * site's form could send (docs/api.md).
 */
export async function sendJson<R extends Route, M extends Exclude<MethodAt<R>, 'GET'>>(
  method: M,
  path: ApiPath<R>,
  ...[body]: BodyArgument<RouteAt<M, R>>
): Promise<ReplyOf<RouteAt<M, R>>> {
  const response = await request(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return (response.status === 204 ? undefined : await response.json()) as ReplyOf<RouteAt<M, R>>;
}
