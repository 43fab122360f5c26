import { audit } from '../app/audit.js';
import { StoreError } from '../domain/errors.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import { requireAdmin } from '../http/principal.js';
import type { HttpHandler } from '../http/types.js';

export const manageDeleteProduct: HttpHandler = async (request, services) => {
  const principal = requireAdmin(request);
  const { id } = parseParams(request, idParams);
  const before = await services.products.get(id);
  if (!before || !(await services.products.delete(id))) throw new StoreError('not_found', 'product_not_found', `No product ${id}.`);
  await audit(services, principal, 'product.delete', id, { before });
  return { status: 204 };
};
