import { audit } from '../app/audit.js';
import { emptyImage } from '../domain/errors.js';
import { checkImage, imageUrl } from '../domain/images.js';
import type { EmployeeHandler } from '../http/types.js';

/** The body is the picture itself; what it is comes from decoding its bytes, never from its name. */
export const manageUploadImage: EmployeeHandler = async (request, services) => {
  const { principal } = request;
  const bytes = request.bytes ?? Buffer.alloc(0);
  if (bytes.length === 0) throw emptyImage();
  const { contentType } = await checkImage(bytes);
  const { id } = await services.images.put({ bytes, contentType });
  const stored = { id, url: imageUrl(id), contentType, bytes: bytes.length };
  await audit(services, principal, 'image.upload', id, { after: stored });
  return { status: 201, headers: { location: stored.url }, body: stored };
};
