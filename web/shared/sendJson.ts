/** Changes through the API, apart from request.ts: only pages that change something load this. */
import type { BodyOf, ReplyOf, RouteName } from '../../functions/src/http/contract/routes';
import { request, type ApiPath, type MethodAt, type Route, type RouteAt } from './request';

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
