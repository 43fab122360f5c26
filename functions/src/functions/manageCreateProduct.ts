import { audit } from '../app/audit.js';
import { newId } from '../domain/ids.js';
import { checkImageUrlHost } from '../domain/images.js';
import { newProduct } from '../domain/product.js';
import { productDraftBody } from '../domain/schemas.js';
import { parseBody } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

export const manageCreateProduct: EmployeeHandler = async (request, services) => {
  const { principal } = request;
  const { products, clock, config } = services;
  const draft = parseBody(request, productDraftBody);
  if (draft.imageUrl !== undefined) checkImageUrlHost(draft.imageUrl, config.imageUrlHosts);
  const product = newProduct(newId(), draft, clock.now());
  if (!(await products.create(product))) throw new Error(`generated product id ${product.id} collided`);
  await audit(services, principal, 'product.create', product.id, { after: product }, product.name);
  return { status: 201, headers: { location: `/api/products/${product.id}` }, body: product };
};
