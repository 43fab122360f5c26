import { settleDeadLetter } from '../app/deadLetters.js';
import { sequenceParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageDiscardDeadLetter: EmployeeHandler = async (request, services) => {
  const { principal } = request;
  const { sequenceNumber } = parseParams(request, sequenceParams);
  await settleDeadLetter(services, principal, sequenceNumber, 'discard');
  return { status: 204 };
};
