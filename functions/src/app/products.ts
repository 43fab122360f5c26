import { productChangedFirst, productNotFound } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { checkImageUrlHost } from '../domain/images.js';
import { newProduct, revisedProduct, type Product, type ProductDraft } from '../domain/product.js';
import type { Principal, Services } from '../ports.js';
import { audit } from './audit.js';

/** An employee adds a product to the catalog. */
export async function createProduct(services: Services, employee: Principal, draft: ProductDraft): Promise<Product> {
  if (draft.imageUrl !== undefined) checkImageUrlHost(draft.imageUrl, services.config.imageUrlHosts);
  const product = newProduct(newId(), draft, services.clock.now());
  if (!(await services.products.create(product))) throw new Error(`generated product id ${product.id} collided`);
  await audit(services, employee, 'product.create', product.id, { after: product }, product.name);
  return product;
}

/** An employee changes a product, guarded by the version they saw. */
export async function updateProduct(services: Services, employee: Principal, id: string, version: number, draft: ProductDraft): Promise<Product> {
  const current = await services.products.get(id);
  if (!current) throw productNotFound(id);
  // A picture saved before its host was disallowed stays until someone changes it.
  if (draft.imageUrl !== undefined && draft.imageUrl !== current.imageUrl) checkImageUrlHost(draft.imageUrl, services.config.imageUrlHosts);
  if (current.version !== version) throw productChangedFirst(current.version);
  const result = await services.products.replace(revisedProduct(current, draft, services.clock.now()), version);
  if (result.outcome !== 'replaced') throw result.outcome === 'missing' ? productNotFound(id) : productChangedFirst(current.version);
  await audit(services, employee, 'product.update', id, { before: current, after: result.value }, result.value.name);
  return result.value;
}

/** An employee removes a product from the catalog. */
export async function deleteProduct(services: Services, employee: Principal, id: string): Promise<void> {
  const before = await services.products.get(id);
  if (!before || !(await services.products.delete(id))) throw productNotFound(id);
  await audit(services, employee, 'product.delete', id, { before }, before.name);
}
