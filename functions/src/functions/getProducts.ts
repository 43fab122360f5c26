import { productQuery } from '../domain/schemas.js';
import { parseQuery } from '../http/parse.js';
import type { HttpHandler } from '../http/types.js';

export const getProducts: HttpHandler = async (request, { products }) => {
  const query = parseQuery(request, productQuery);
  return { status: 200, body: await products.list(query) };
};
