import { newId } from '../domain/ids.js';
import type { Principal } from '../http/principal.js';
import type { Services } from '../composition.js';

/** Records an employee action with who did it, the target's name if it has one, and the state before and after. */
export async function audit(
  services: Services,
  principal: Principal,
  action: string,
  target: string,
  change: { before?: unknown; after?: unknown },
  targetName?: string,
): Promise<void> {
  await services.audit.record({
    id: newId(),
    at: services.clock.now().toISOString(),
    actor: { userId: principal.userId, userDetails: principal.userDetails, identityProvider: principal.identityProvider },
    action,
    target,
    ...(targetName === undefined ? {} : { targetName }),
    before: change.before ?? null,
    after: change.after ?? null,
  });
}
