import { productNotFound } from '../domain/errors.js';
import { publicProduct } from '../domain/product.js';
import type { RouteHandler } from '../http/types.js';

export const getProduct: RouteHandler<'getProduct'> = async (request, { products, config }) => {
  const { id } = request.params;
  const product = await products.get(id);
  if (!product) throw productNotFound(id);
  return { status: 200, body: { ...publicProduct(product), maxPerOrder: config.orderCaps.maxUnitsPerLine } };
};
