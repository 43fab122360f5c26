import { StoreError } from '../domain/errors.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import { requireAdmin } from '../http/principal.js';
import type { HttpHandler } from '../http/types.js';

export const manageDeleteProduct: HttpHandler = async (request, { products }) => {
  requireAdmin(request);
  const { id } = parseParams(request, idParams);
  if (!(await products.delete(id))) throw new StoreError('not_found', 'product_not_found', `No product ${id}.`);
  return { status: 204 };
};
