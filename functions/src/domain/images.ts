import { imageHostNotAllowed } from './errors.js';

/** Types the image store serves; WebP pictures stored before uploads were decoded stay servable. */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** Types a new picture may have: those a well-kept pure-JS decoder can check whole (docs/api.md, Product pictures). */
export type AcceptedImageType = Exclude<ImageType, 'image/webp'>;

export const MAX_IMAGE_BYTES = 2 * 1024 * 1024;

/** 4096 × 4096: larger than any product picture needs, and decoding stays within about 150 MB. */
export const MAX_IMAGE_PIXELS = 4096 * 4096;

export const imageUrl = (id: string) => `/api/images/${id}`;

/**
 * A product may show the store's own pictures (the schema lets only those and https URLs through)
 * and https pictures from the hosts an operator allows in IMAGE_URL_HOSTS; nothing else, so no
 * product page loads what a stranger's server chooses to send. Throws 400 image_url_not_allowed.
 */
export function checkImageUrlHost(url: string, allowedHosts: readonly string[]): void {
  if (!url.startsWith('https://')) return;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    host = '';
  }
  if (host && allowedHosts.includes(host)) return;
  const allowed = allowedHosts.length > 0 ? `only pictures from ${allowedHosts.join(', ')} or the store's own` : "only the store's own pictures";
  const message = `Pictures from ${host || 'that address'} are not allowed: ${allowed}. Upload the picture instead.`;
  throw imageHostNotAllowed(message);
}
