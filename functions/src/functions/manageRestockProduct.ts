import { restockProduct } from '../app/restock.js';
import { idParams, restockBody } from '../domain/schemas.js';
import { parseBody, parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

/** Adds stock to one product: no version needed, as an increment cannot overwrite anyone's change. */
export const manageRestockProduct: EmployeeHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  const { quantity } = parseBody(request, restockBody);
  return { status: 200, body: await restockProduct(services, request.principal, id, quantity) };
};
