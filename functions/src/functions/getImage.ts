import { imageNotFound } from '../domain/errors.js';
import type { RouteHandler } from '../http/types.js';

/** Product pictures, public. Ids are hashes of the bytes, so a picture never changes under its URL. */
export const getImage: RouteHandler<'getImage'> = async (request, { images }) => {
  const { id } = request.params;
  const image = await images.get(id);
  if (!image) throw imageNotFound(id);
  return {
    status: 200,
    headers: { 'cache-control': 'public, max-age=31536000, immutable' },
    raw: { bytes: image.bytes, contentType: image.contentType },
  };
};
