import { checkHealth, mailWithoutError, withoutErrors } from '../app/health.js';
import { PRINCIPAL_HEADER, readPrincipal } from '../http/principal.js';
import type { RouteHandler } from '../http/types.js';

/** Anyone sees each dependency's status and latency; why one is down goes to the log, and to employees. */
export const health: RouteHandler<'health'> = async (request, services, log) => {
  const { healthy, status, checks, mail } = await checkHealth(services);
  for (const [name, check] of Object.entries({ ...checks, mail })) {
    if ('error' in check && check.error !== undefined) log.warn(`health: ${name} is down: ${check.error}`);
  }
  const employee = readPrincipal(request.headers.get(PRINCIPAL_HEADER))?.userRoles.includes('admin') ?? false;
  return {
    status: healthy ? 200 : 503,
    headers: { 'cache-control': 'no-store' },
    body: { status, checks: employee ? checks : withoutErrors(checks), mail: employee ? mail : mailWithoutError(mail) },
  };
};
