import { deleteProduct } from '../app/products.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageDeleteProduct: EmployeeHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  await deleteProduct(services, request.principal, id);
  return { status: 204 };
};
