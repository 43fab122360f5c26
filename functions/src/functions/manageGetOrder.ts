import type { HttpHandler } from '../http/types.js';
import { getOrder } from './getOrder.js';

export const manageGetOrder: HttpHandler = async (request, services, log) => {
  return getOrder(request, services, log);
};
