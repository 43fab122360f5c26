import { newId } from '../domain/ids.js';
import type { Actor } from '../ports.js';
import type { Services } from '../composition.js';

/** Records an employee's (or a virtual actor's) action with who did it and the state before and after. */
export async function audit(
  services: Services,
  principal: Actor,
  action: string,
  target: string,
  change: { before?: unknown; after?: unknown },
): Promise<void> {
  await services.audit.record({
    id: newId(),
    at: services.clock.now().toISOString(),
    actor: { userId: principal.userId, userDetails: principal.userDetails, identityProvider: principal.identityProvider },
    action,
    target,
    before: change.before ?? null,
    after: change.after ?? null,
  });
}
