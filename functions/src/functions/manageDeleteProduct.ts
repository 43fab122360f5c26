import { audit } from '../app/audit.js';
import { productNotFound } from '../domain/product.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageDeleteProduct: EmployeeHandler = async (request, services) => {
  const { principal } = request;
  const { id } = parseParams(request, idParams);
  const before = await services.products.get(id);
  if (!before || !(await services.products.delete(id))) throw productNotFound(id);
  await audit(services, principal, 'product.delete', id, { before }, before.name);
  return { status: 204 };
};
