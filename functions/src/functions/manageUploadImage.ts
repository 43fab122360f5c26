import { uploadImage } from '../app/images.js';
import type { RouteHandler } from '../http/types.js';

/** The body is the picture itself. */
export const manageUploadImage: RouteHandler<'manageUploadImage'> = async (request, services) => {
  const stored = await uploadImage(services, request.principal, request.bytes ?? Buffer.alloc(0));
  return { status: 201, headers: { location: stored.url }, body: stored };
};
