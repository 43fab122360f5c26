import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';

/** A real 1×1 PNG, for upload tests. */
export const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A real 1×1 lossless WebP. */
export const TINY_WEBP = Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64');

/** Pixels that barely compress (a fixed pseudo-random sequence), so a picture's file is about as big as they are. */
function noise(width: number, height: number): Buffer {
  const pixels = Buffer.alloc(width * height * 4);
  let state = 42;
  for (let index = 0; index < pixels.length; index += 1) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    pixels[index] = state >>> 24;
  }
  return pixels;
}

/** A whole PNG of noise, about width × height × 4 bytes. */
export function noisePng(width: number, height: number): Buffer {
  const png = new PNG({ width, height });
  png.data = noise(width, height);
  return PNG.sync.write(png);
}

/** A whole baseline JPEG. */
export const smallJpeg = (width = 32, height = 24): Buffer => jpeg.encode({ width, height, data: noise(width, height) }, 80).data;

/** A PNG's signature and then a page with a script: what checking only the first bytes let through. */
export const PNG_SIGNATURE_THEN_HTML = Buffer.concat([TINY_PNG.subarray(0, 8), Buffer.from('<html><script>alert(document.domain)</script></html>')]);

export const TRAILING_SCRIPT = Buffer.from('<script>alert(document.domain)</script>');

/** A PNG whose first chunk (IHDR) has a wrong CRC, every other byte intact. */
export function wrongCrc(png: Buffer): Buffer {
  const copy = Buffer.from(png);
  copy[29] = copy[29]! ^ 0xff; // signature 8 + length 4 + "IHDR" 4 + data 13 = CRC at 29
  return copy;
}

/** A PNG with a text chunk (which decoders skip) holding a script, after IHDR, under a wrong CRC. */
export function scriptInTextChunk(png: Buffer): Buffer {
  const text = Buffer.from('Comment\0<script>alert(document.domain)</script>', 'latin1');
  const chunk = Buffer.alloc(12 + text.length);
  chunk.writeUInt32BE(text.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  text.copy(chunk, 8);
  chunk.writeUInt32BE(0xdeadbeef, 8 + text.length);
  return Buffer.concat([png.subarray(0, 33), chunk, png.subarray(33)]);
}
