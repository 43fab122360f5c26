import { updateProduct } from '../app/products.js';
import { idParams, productUpdateBody } from '../domain/schemas.js';
import { parseBody, parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageUpdateProduct: EmployeeHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  const { version, ...draft } = parseBody(request, productUpdateBody);
  return { status: 200, body: await updateProduct(services, request.principal, id, version, draft) };
};
