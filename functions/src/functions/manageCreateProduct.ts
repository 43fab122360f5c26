import { newId } from '../domain/ids.js';
import { newProduct } from '../domain/product.js';
import { productDraftBody } from '../domain/schemas.js';
import { parseBody } from '../http/parse.js';
import { requireAdmin } from '../http/principal.js';
import type { HttpHandler } from '../http/types.js';

export const manageCreateProduct: HttpHandler = async (request, { products, clock }) => {
  requireAdmin(request);
  const product = newProduct(newId(), parseBody(request, productDraftBody), clock.now());
  if (!(await products.create(product))) throw new Error(`generated product id ${product.id} collided`);
  return { status: 201, headers: { location: `/api/products/${product.id}` }, body: product };
};
