import { resolveDeadLetter } from '../app/deadLetters.js';
import type { RouteHandler } from '../http/types.js';

export const manageDiscardDeadLetter: RouteHandler<'manageDiscardDeadLetter'> = async (request, services) => {
  await resolveDeadLetter(services, request.principal, request.params.sequenceNumber, 'discard');
  return { status: 204 };
};
