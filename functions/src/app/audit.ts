import { newId } from '../domain/ids.js';
import type { Principal } from '../http/principal.js';
import type { Services } from '../composition.js';

/** Records an employee action (or a customer claiming an order) with who did it and the state before and after. */
export async function audit(
  services: Services,
  principal: Principal,
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
