import { productsRelatedTo } from '../app/relatedProducts.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { HttpHandler } from '../http/types.js';

export const getRelatedProducts: HttpHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  return { status: 200, body: { items: await productsRelatedTo(services, id) } };
};
