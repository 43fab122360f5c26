import { audit } from '../app/audit.js';
import { productNotFound } from '../domain/errors.js';
import { imageUrl } from '../domain/images.js';
import { aiImageBody } from '../domain/schemas.js';
import { parseBody } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

/**
 * Draws a product picture and stores it in the image store; the product itself is untouched (the
 * admin page puts the returned URL in its imageUrl when the employee keeps the picture).
 */
export const manageAiImage: EmployeeHandler = async (request, services, log) => {
  const { principal } = request;
  const { content, images, products } = services;
  const { productId, ...input } = parseBody(request, aiImageBody);
  if (productId && !(await products.get(productId))) {
    throw productNotFound(productId);
  }
  const image = await content.draw(input);
  const { id } = await images.put(image);
  const url = imageUrl(id);
  await audit(services, principal, 'image.generate', id, { after: { url, contentType: image.contentType, productId: productId ?? null } });
  log.info(`AI image ${id} (${image.contentType}, ${image.bytes.length} bytes)${productId ? ` for product ${productId}` : ''}`);
  return { status: 201, headers: { location: url }, body: { url } };
};
