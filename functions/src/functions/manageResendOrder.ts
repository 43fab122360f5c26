import { resendOrder } from '../app/resendOrder.js';
import { publicOrder } from '../domain/order.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageResendOrder: EmployeeHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  return { status: 202, body: publicOrder(await resendOrder(services, request.principal, id)) };
};
