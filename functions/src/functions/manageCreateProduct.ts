import { createProduct } from '../app/products.js';
import { productDraftBody } from '../domain/schemas.js';
import { parseBody } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageCreateProduct: EmployeeHandler = async (request, services) => {
  const product = await createProduct(services, request.principal, parseBody(request, productDraftBody));
  return { status: 201, headers: { location: `/api/products/${product.id}` }, body: product };
};
