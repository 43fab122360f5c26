import { imageNotFound } from '../domain/errors.js';
import { idParams } from '../domain/schemas.js';
import { parseParams } from '../http/parse.js';
import type { HttpHandler } from '../http/types.js';

/** Product pictures, public. Ids are hashes of the bytes, so a picture never changes under its URL. */
export const getImage: HttpHandler = async (request, { images }) => {
  const { id } = parseParams(request, idParams);
  const image = await images.get(id);
  if (!image) throw imageNotFound(id);
  return {
    status: 200,
    headers: { 'cache-control': 'public, max-age=31536000, immutable' },
    raw: { bytes: image.bytes, contentType: image.contentType },
  };
};
