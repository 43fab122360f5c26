import { rateLimited } from '../domain/errors.js';
import { ownerKey, ownerOf } from '../domain/owner.js';
import { clientKey, RATE_LIMITED, secondsLeft, windowAt, type RateLimitName } from '../domain/rateLimit.js';
import type { Principal, Services } from '../ports.js';
import { PRINCIPAL_HEADER, readPrincipal } from './principal.js';
import type { ApiRequest } from './types.js';

/**
 * The address the request came from: the last one in the header the edge writes it into (the
 * nearest proxy's word, never the client's own), or, with no such header set, the socket's.
 */
function clientAddress(request: ApiRequest, header: string | null): string | null {
  if (!header) return request.remoteAddress ?? null;
  return request.headers.get(header)?.split(',').at(-1)?.trim() || null;
}

/** The signed-in caller, if the request names one the pipeline can read; a handler answers an unreadable one. */
function callerAccount(request: ApiRequest, principal: Principal | undefined): string | null {
  let caller: Principal | null | undefined = principal;
  try {
    caller ??= readPrincipal(request.headers.get(PRINCIPAL_HEADER));
  } catch {
    return null;
  }
  const owner = ownerOf(caller ?? null);
  return owner ? ownerKey(owner) : null;
}

/**
 * Counts this request against the route's limit, and refuses it (429, Retry-After) once the client
 * is past it. Runs before the handler, so a refused request does no store work but, at most, this one write.
 */
export async function enforceRateLimit(
  name: RateLimitName,
  request: ApiRequest,
  principal: Principal | undefined,
  services: Services,
): Promise<void> {
  const limit = services.config.rateLimits?.[name];
  if (!limit) return;
  const kind: { shared: boolean; what: string; onlyWithQuery?: string } = RATE_LIMITED[name];
  if (kind.onlyWithQuery && !request.url.searchParams.get(kind.onlyWithQuery)) return;
  const now = services.clock.now().getTime();
  const window = windowAt(limit, now);
  const client = clientKey(callerAccount(request, principal), clientAddress(request, services.config.clientAddressHeader));
  const key = `${name}|${client}|${window.startMs}`;
  // Counted here first: once this instance alone has seen more than the limit, it refuses without
  // a store write, so a client sending on past its limit costs each instance at most `limit` writes a window.
  const seenHere = await services.instanceRateCounter.hit(key, window.endMs);
  const hits = kind.shared && seenHere <= limit.limit ? await services.sharedRateCounter.hit(key, window.endMs) : seenHere;
  if (hits > limit.limit) throw rateLimited(kind.what, limit.limit, limit.windowSeconds, secondsLeft(window.endMs, now));
}
