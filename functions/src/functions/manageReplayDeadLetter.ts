import { resolveDeadLetter } from '../app/deadLetters.js';
import type { RouteHandler } from '../http/types.js';

export const manageReplayDeadLetter: RouteHandler<'manageReplayDeadLetter'> = async (request, services) => {
  const { sequenceNumber } = request.params;
  await resolveDeadLetter(services, request.principal, sequenceNumber, 'replay');
  return { status: 200, body: { sequenceNumber, replayed: true } };
};
