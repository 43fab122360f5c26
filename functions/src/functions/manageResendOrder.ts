import { audit } from '../app/audit.js';
import { resendOrder } from '../app/resendOrder.js';
import { publicOrder } from '../domain/order.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageResendOrder: EmployeeHandler = async (request, services) => {
  const { principal } = request;
  const { id } = parseParams(request, idParams);
  const order = await resendOrder(services, id);
  await audit(services, principal, 'order.resend', id, { before: { number: order.number, status: order.status, version: order.version } });
  return { status: 202, body: publicOrder(order) };
};
