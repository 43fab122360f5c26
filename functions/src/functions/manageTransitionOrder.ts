import { moveOrderAsEmployee } from '../app/moveOrder.js';
import { publicOrder } from '../domain/order.js';
import { idParams, transitionBody } from '../domain/schemas.js';
import { parseBody, parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageTransitionOrder: EmployeeHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  const { to, version } = parseBody(request, transitionBody);
  return { status: 200, body: publicOrder(await moveOrderAsEmployee(services, request.principal, id, to, version)) };
};
