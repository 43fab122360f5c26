import { emptyImage, productNotFound } from '../domain/errors.js';
import { imageUrl, type ImageType } from '../domain/images.js';
import type { DrawInput } from '../domain/productCopy.js';
import type { Principal, Services } from '../ports.js';
import { audit } from './audit.js';

export interface StoredImage {
  id: string;
  url: string;
  contentType: ImageType;
  bytes: number;
}

/** An employee uploads a picture; what it is comes from decoding its bytes, never from its name. */
export async function uploadImage(services: Services, employee: Principal, bytes: Buffer): Promise<StoredImage> {
  if (bytes.length === 0) throw emptyImage();
  const { contentType } = await services.imageDecoder.check(bytes);
  const { id } = await services.images.put({ bytes, contentType });
  const stored = { id, url: imageUrl(id), contentType, bytes: bytes.length };
  await audit(services, employee, 'image.upload', id, { after: stored });
  return stored;
}

/**
 * An employee has the AI draw a product picture, kept in the image store; the product itself is
 * untouched (the admin page puts the URL in its imageUrl when the employee keeps the picture).
 */
export async function generateImage(services: Services, employee: Principal, productId: string | undefined, input: DrawInput): Promise<StoredImage> {
  if (productId && !(await services.products.get(productId))) throw productNotFound(productId);
  const image = await services.content.draw(input);
  const { id } = await services.images.put(image);
  const url = imageUrl(id);
  await audit(services, employee, 'image.generate', id, { after: { url, contentType: image.contentType, productId: productId ?? null } });
  return { id, url, contentType: image.contentType, bytes: image.bytes.length };
}
