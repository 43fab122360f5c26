import { requireAdmin } from '../http/principal.js';
import type { HttpHandler } from '../http/types.js';
import { getOrder } from './getOrder.js';

export const manageGetOrder: HttpHandler = async (request, services, log) => {
  requireAdmin(request);
  return getOrder(request, services, log);
};
