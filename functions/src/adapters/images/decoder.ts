import { crc32 } from 'node:zlib';
import { brokenImage, interlacedPng, notAnImage, tooManyPixels, webpImage } from '../../domain/errors.js';
import { MAX_IMAGE_PIXELS, type ImageType } from '../../domain/images.js';
import type { CheckedImage, ImageDecoder } from '../../ports.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  signature.every((byte, index) => bytes[offset + index] === byte);

/**
 * What a picture claims to be, read from its first bytes (its signature); a file name or a
 * declared Content-Type can lie, and so can the signature: checkImage decodes the rest.
 */
function detectImageType(bytes: Uint8Array): ImageType | null {
  if (startsWith(bytes, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  // "RIFF", four bytes of size, then "WEBP".
  if (startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) && startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

/**
 * Accepts only a whole PNG or JPEG: decoded to its last pixel, with nothing before its signature
 * or after its end (IEND, EOI), so a picture cannot carry a page or a script the way a file that
 * only starts like one can. The decoders load on first use: only the upload and AI picture paths
 * pay for them. Throws StoreError: 415 not_an_image / unsupported_image_type, 422 broken_image /
 * image_too_large.
 */
async function checkImage(bytes: Uint8Array): Promise<CheckedImage> {
  const type = detectImageType(bytes);
  if (type === null) throw notAnImage();
  if (type === 'image/webp') throw webpImage();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return type === 'image/png' ? checkPng(buffer) : checkJpeg(buffer);
}

async function checkPng(bytes: Buffer): Promise<CheckedImage> {
  // The header chunk comes first (pngjs insists): its size is known before anything is inflated.
  if (bytes.length < 33 || bytes.toString('latin1', 12, 16) !== 'IHDR') throw brokenImage('PNG', 'no IHDR chunk first');
  const width = bytes.readUInt32BE(16);
  const height = bytes.readUInt32BE(20);
  if (width * height > MAX_IMAGE_PIXELS) throw tooManyPixels(width, height, MAX_IMAGE_PIXELS);
  // pngjs inflates an interlaced picture without a size limit: a small file could take gigabytes.
  if (bytes[28] !== 0) throw interlacedPng();
  const problem = pngChunkProblem(bytes);
  if (problem) throw brokenImage('PNG', problem);
  const { PNG } = await import('pngjs');
  try {
    // Inflates and unfilters every row, and refuses any critical chunk it does not know.
    PNG.sync.read(bytes, { checkCRC: true });
  } catch (error) {
    throw brokenImage('PNG', (error as Error).message);
  }
  return { contentType: 'image/png', width, height };
}

/**
 * What is wrong with a PNG's chunk sequence, or null: a chunk cut short, a wrong CRC, no IEND, or
 * bytes after it. pngjs checks the CRCs of the chunks it reads but skips other ancillary ones
 * (text, metadata) unchecked, so every chunk is checked here first.
 */
function pngChunkProblem(bytes: Buffer): string | null {
  let offset = PNG_SIGNATURE.length;
  while (offset + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const dataEnd = offset + 8 + length;
    if (dataEnd + 4 > bytes.length) break;
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (crc32(bytes.subarray(offset + 4, dataEnd)) !== bytes.readUInt32BE(dataEnd)) return `wrong CRC in its ${type} chunk`;
    offset = dataEnd + 4;
    if (type === 'IEND') return offset === bytes.length ? null : `${bytes.length - offset} bytes after its end (IEND)`;
  }
  return 'it breaks off before its end (IEND)';
}

async function checkJpeg(bytes: Buffer): Promise<CheckedImage> {
  const layout = jpegLayout(bytes);
  if (!layout) throw brokenImage('JPEG', 'it breaks off before its end marker (EOI), or has no frame header (SOF)');
  if (layout.end !== bytes.length) throw brokenImage('JPEG', `${bytes.length - layout.end} bytes after its end marker (EOI)`);
  const { width, height } = layout;
  if (width * height > MAX_IMAGE_PIXELS) throw tooManyPixels(width, height, MAX_IMAGE_PIXELS);
  const jpeg = await import('jpeg-js');
  try {
    // Strict: a scan that runs out of data or a marker out of place fails instead of leaving grey blocks.
    jpeg.decode(bytes, { useTArray: true, tolerantDecoding: false, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6, maxMemoryUsageInMB: 256 });
  } catch (error) {
    throw brokenImage('JPEG', (error as Error).message);
  }
  return { contentType: 'image/jpeg', width, height };
}

const isRestart = (marker: number) => marker >= 0xd0 && marker <= 0xd7;
/** Start-of-frame markers, which carry the picture's size: C0–CF but DHT, JPG and DAC. */
const isFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);

/**
 * The frame's size and where the first top-level EOI marker ends, walking the segments the way a
 * decoder does (a length before each scan, byte-stuffed entropy data after it); null when the walk
 * breaks off or finds no frame. Decoders ignore whatever follows EOI: this is what finds it.
 */
function jpegLayout(bytes: Uint8Array): { end: number; width: number; height: number } | null {
  const at = (offset: number) => bytes[offset] ?? -1;
  const uint16 = (offset: number) => (at(offset) << 8) | at(offset + 1);
  let size: { width: number; height: number } | undefined;
  let offset = 2; // past SOI
  while (offset + 1 < bytes.length) {
    if (at(offset) !== 0xff) return null;
    const marker = at(offset + 1);
    if (marker === 0xff) {
      offset += 1; // fill byte before a marker
      continue;
    }
    if (marker === 0xd9) return size ? { end: offset + 2, ...size } : null;
    if (isRestart(marker) || marker === 0x01) {
      offset += 2; // markers without a length
      continue;
    }
    const length = uint16(offset + 2);
    if (length < 2) return null;
    if (isFrame(marker)) size ??= { height: uint16(offset + 5), width: uint16(offset + 7) };
    offset += 2 + length;
    if (marker !== 0xda) continue;
    // After a scan header, entropy-coded data runs to the next marker that is neither a
    // stuffed 0xFF00 nor a restart marker.
    while (offset + 1 < bytes.length && !(at(offset) === 0xff && at(offset + 1) !== 0 && !isRestart(at(offset + 1)))) offset += 1;
  }
  return null;
}

/**
 * The picture decoders (pngjs, jpeg-js) behind the ImageDecoder port, the same for both runtimes:
 * reading bytes is an adapter's work; the types and sizes a picture may have are rules (domain/images.ts).
 */
export const imageDecoder: ImageDecoder = { check: checkImage };
