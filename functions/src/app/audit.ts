import { newId } from '../domain/ids.js';
import type { Actor, Services } from '../ports.js';

/** Only who it was: a principal's roles are not the audit log's business. */
export const actorOf = ({ userId, userDetails, identityProvider }: Actor): Actor => ({ userId, userDetails, identityProvider });

/**
 * Records an employee's or a virtual actor's action (or a customer claiming an order) with who did it, the target's name if it has one (kept true after renames and deletes), and the state before and after. Called by the use
 * case that makes the change, never by a handler, so no change an employee makes goes unrecorded.
 */
export async function audit(
  { audit: log, clock }: Pick<Services, 'audit' | 'clock'>,
  actor: Actor,
  action: string,
  target: string,
  change: { before?: unknown; after?: unknown },
  targetName?: string,
): Promise<void> {
  await log.record({
    id: newId(),
    at: clock.now().toISOString(),
    actor: actorOf(actor),
    action,
    target,
    ...(targetName === undefined ? {} : { targetName }),
    before: change.before ?? null,
    after: change.after ?? null,
  });
}
