import { newId } from '../domain/ids.js';
import type { StoredOrder } from '../domain/order.js';
import type { Principal } from '../http/principal.js';
import type { Services } from '../composition.js';

/** Records an employee action with who did it and the state before and after. */
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

/** A customer acting on their order through its link, with no account to name them by. */
export const ORDER_LINK_HOLDER: Principal = { userDetails: 'customer (order link)', userRoles: [] };

/** What the audit log keeps of an order's cancel: its number, and the status and version around it. */
export function cancelChange(before: StoredOrder, after: StoredOrder) {
  return {
    before: { number: before.number, status: before.status, version: before.version },
    after: { number: after.number, status: after.status, version: after.version, reason: after.history.at(-1)?.reason },
  };
}
