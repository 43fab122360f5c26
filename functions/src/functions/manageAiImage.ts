import { generateImage } from '../app/images.js';
import type { RouteHandler } from '../http/types.js';

/** Draws a product picture; answers with its URL, which the admin page may put in the product. */
export const manageAiImage: RouteHandler<'manageAiImage'> = async (request, services, log) => {
  const { productId, ...input } = request.body;
  const image = await generateImage(services, request.principal, productId, input);
  log.info(`AI image ${image.id} (${image.contentType}, ${image.bytes} bytes)${productId ? ` for product ${productId}` : ''}`);
  return { status: 201, headers: { location: image.url }, body: { url: image.url } };
};
