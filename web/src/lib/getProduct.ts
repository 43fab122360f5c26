import { ApiError, apiPath, getJson, isId, type ProductForSale } from './api';

/** The product, or null when it does not exist (or the id could never name one). Only lazy pages ask for one product. */
export async function getProduct(id: string): Promise<ProductForSale | null> {
  if (!isId(id)) return null;
  try {
    return await getJson(apiPath('products/{id}', { id }));
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 400)) return null;
    throw error;
  }
}
