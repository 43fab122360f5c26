import { productNotFound } from '../domain/errors.js';
import { publicProduct } from '../domain/product.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { HttpHandler } from '../http/types.js';

export const getProduct: HttpHandler = async (request, { products, config }) => {
  const { id } = parseParams(request, idParams);
  const product = await products.get(id);
  if (!product) throw productNotFound(id);
  return { status: 200, body: { ...publicProduct(product), maxPerOrder: config.orderCaps.maxUnitsPerLine } };
};
