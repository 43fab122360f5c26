import { settleDeadLetter } from '../app/deadLetters.js';
import { sequenceParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageDiscardDeadLetter: EmployeeHandler = async (request, services) => {
  const { sequenceNumber } = parseParams(request, sequenceParams);
  await settleDeadLetter(services, request.principal, sequenceNumber, 'discard');
  return { status: 204 };
};
