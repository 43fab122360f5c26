import { audit } from '../app/audit.js';
import { moveOrder } from '../app/moveOrder.js';
import { publicOrder } from '../domain/order.js';
import { idParams, transitionBody } from '../domain/schemas.js';
import { parseBody, parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageTransitionOrder: EmployeeHandler = async (request, services) => {
  const { principal } = request;
  const { id } = parseParams(request, idParams);
  const { to, version } = parseBody(request, transitionBody);
  const moved = await moveOrder(services, id, to, version);
  const from = moved.history.at(-2)?.status;
  await audit(services, principal, 'order.transition', id, {
    before: { number: moved.number, status: from, version },
    after: { number: moved.number, status: moved.status, version: moved.version },
  });
  return { status: 200, body: publicOrder(moved) };
};
