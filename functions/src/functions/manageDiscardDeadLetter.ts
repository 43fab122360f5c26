import { settleDeadLetter } from '../app/deadLetters.js';
import type { RouteHandler } from '../http/types.js';

export const manageDiscardDeadLetter: RouteHandler<'manageDiscardDeadLetter'> = async (request, services) => {
  await settleDeadLetter(services, request.principal, request.params.sequenceNumber, 'discard');
  return { status: 204 };
};
