import { settleDeadLetter } from '../app/deadLetters.js';
import { sequenceParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import { requireAdmin } from '../http/principal.js';
import type { HttpHandler } from '../http/types.js';

export const manageDiscardDeadLetter: HttpHandler = async (request, services) => {
  const principal = requireAdmin(request);
  const { sequenceNumber } = parseParams(request, sequenceParams);
  await settleDeadLetter(services, principal, sequenceNumber, 'discard');
  return { status: 204 };
};
