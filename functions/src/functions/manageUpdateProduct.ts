import { audit } from '../app/audit.js';
import { StoreError } from '../domain/errors.js';
import { checkImageUrlHost } from '../domain/images.js';
import { productNotFound, revisedProduct } from '../domain/product.js';
import { idParams, productUpdateBody } from '../domain/schemas.js';
import { parseBody, parseParams } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';


export const manageUpdateProduct: EmployeeHandler = async (request, services) => {
  const { principal } = request;
  const { products, clock, config } = services;
  const { id } = parseParams(request, idParams);
  const { version, ...draft } = parseBody(request, productUpdateBody);
  const current = await products.get(id);
  if (!current) throw productNotFound(id);
  // A picture saved before its host was disallowed stays until someone changes it.
  if (draft.imageUrl !== undefined && draft.imageUrl !== current.imageUrl) checkImageUrlHost(draft.imageUrl, config.imageUrlHosts);
  const stale = () =>
    new StoreError('conflict', 'stale_version', 'Someone else changed this product first; reload it and try again.', [
      { path: 'version', message: 'stale version', current: current.version },
    ]);
  if (current.version !== version) throw stale();
  const result = await products.replace(revisedProduct(current, draft, clock.now()), version);
  if (result.outcome !== 'replaced') throw result.outcome === 'missing' ? productNotFound(id) : stale();
  await audit(services, principal, 'product.update', id, { before: current, after: result.value }, result.value.name);
  return { status: 200, body: result.value };
};
