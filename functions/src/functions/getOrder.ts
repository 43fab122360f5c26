import { customerOrder } from '../app/customerOrder.js';
import { linkedOrder } from '../domain/order.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { HttpHandler } from '../http/types.js';

/** The customer's tracking view; the pipeline adds the ETag and answers If-None-Match. */
export const getOrder: HttpHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  return { status: 200, body: linkedOrder(await customerOrder(services, id)) };
};
