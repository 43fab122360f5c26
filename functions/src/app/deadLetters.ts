import { audit } from './audit.js';
import { deadLetterNotFound } from '../domain/errors.js';
import type { Principal, Services } from '../ports.js';

/** Replays or discards one dead letter, recording what it was. */
export async function resolveDeadLetter(
  services: Services,
  employee: Principal,
  sequenceNumber: string,
  how: 'replay' | 'discard',
): Promise<void> {
  const settled =
    how === 'replay'
      ? await services.queue.replayDeadLetter(sequenceNumber)
      : await services.queue.discardDeadLetter(sequenceNumber);
  if (!settled) throw deadLetterNotFound(sequenceNumber);
  await audit(services, employee, `deadletter.${how}`, sequenceNumber, { before: settled });
}
