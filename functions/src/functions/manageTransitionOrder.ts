import { moveOrder } from '../app/employeeTransition.js';
import { publicOrder } from '../domain/order.js';
import { idParams, transitionBody } from '../domain/schemas.js';
import { parseBody, parseParams } from '../http/parse.js';
import { requireAdmin } from '../http/principal.js';
import type { HttpHandler } from '../http/types.js';

export const manageTransitionOrder: HttpHandler = async (request, services) => {
  requireAdmin(request);
  const { id } = parseParams(request, idParams);
  const { to, version } = parseBody(request, transitionBody);
  return { status: 200, body: publicOrder(await moveOrder(services, id, to, version)) };
};
