import { describe, expect, it } from 'vitest';
import { imageDecoder } from '../../src/adapters/images/decoder.js';
import { noisePng, PNG_SIGNATURE_THEN_HTML, scriptInTextChunk, smallJpeg, TINY_PNG, TINY_WEBP, TRAILING_SCRIPT, wrongCrc } from '../support/images.js';

/**
 * The decoder every upload and AI picture goes through, in process; productImages.test.ts checks
 * the same over HTTP, that nothing refused is stored, and that the decoders load on first use.
 */

const png = noisePng(64, 48);
const jpeg = smallJpeg(32, 24);

/** TINY_PNG with its header claiming another size (its CRC no longer fits, but size is checked first). */
function claiming(width: number, height: number): Buffer {
  const copy = Buffer.from(TINY_PNG);
  copy.writeUInt32BE(width, 16);
  copy.writeUInt32BE(height, 20);
  return copy;
}

describe('the image decoder', () => {
  it.each([
    ['a 1 × 1 PNG', TINY_PNG, { contentType: 'image/png', width: 1, height: 1 }],
    ['a 64 × 48 PNG', png, { contentType: 'image/png', width: 64, height: 48 }],
    ['a 32 × 24 JPEG', jpeg, { contentType: 'image/jpeg', width: 32, height: 24 }],
    ['a JPEG read from inside a larger buffer', new Uint8Array(Buffer.concat([Buffer.alloc(5), jpeg])).subarray(5), { contentType: 'image/jpeg', width: 32, height: 24 }],
  ])('accepts %s and reads its type and size', async (_what, bytes, expected) => {
    expect(await imageDecoder.check(bytes)).toEqual(expected);
  });

  it.each([
    ['a page', Buffer.from('<html><script>alert(1)</script></html>'), 'unsupported_media_type', 'not_an_image'],
    ['nothing but a PNG signature', TINY_PNG.subarray(0, 8), 'unprocessable', 'broken_image'],
    ['a WebP', TINY_WEBP, 'unsupported_media_type', 'unsupported_image_type'],
    ['a PNG signature and then HTML', PNG_SIGNATURE_THEN_HTML, 'unprocessable', 'broken_image'],
    ['a truncated PNG', png.subarray(0, png.length - 100), 'unprocessable', 'broken_image'],
    ['a PNG missing only its end (IEND)', png.subarray(0, png.length - 12), 'unprocessable', 'broken_image'],
    ['a whole PNG with a script after IEND', Buffer.concat([png, TRAILING_SCRIPT]), 'unprocessable', 'broken_image'],
    ['a PNG with a wrong chunk CRC', wrongCrc(png), 'unprocessable', 'broken_image'],
    ['a PNG with a wrong CRC on a chunk decoders skip', scriptInTextChunk(png), 'unprocessable', 'broken_image'],
    ['an interlaced PNG', Object.assign(Buffer.from(TINY_PNG), { 28: 1 }), 'unprocessable', 'interlaced_png'],
    ['a PNG of 5000 × 5000 pixels', claiming(5000, 5000), 'unprocessable', 'image_too_large'],
    ['a PNG one pixel past 4096 × 4096', claiming(4097, 4096), 'unprocessable', 'image_too_large'],
    ['a JPEG signature and then HTML', Buffer.concat([jpeg.subarray(0, 3), Buffer.from('<html><script>alert(1)</script></html>')]), 'unprocessable', 'broken_image'],
    ['a truncated JPEG', jpeg.subarray(0, Math.floor(jpeg.length * 0.7)), 'unprocessable', 'broken_image'],
    ['a whole JPEG with a script after EOI', Buffer.concat([jpeg, TRAILING_SCRIPT]), 'unprocessable', 'broken_image'],
    ['a whole JPEG, a script and another EOI', Buffer.concat([jpeg, TRAILING_SCRIPT, Buffer.from([0xff, 0xd9])]), 'unprocessable', 'broken_image'],
  ])('refuses %s', async (_what, bytes, kind, code) => {
    await expect(imageDecoder.check(bytes)).rejects.toMatchObject({ kind, code });
  });

  it('passes 4096 × 4096 on to the decoder, which alone finds the header lies', async () => {
    await expect(imageDecoder.check(claiming(4096, 4096))).rejects.toMatchObject({ code: 'broken_image' });
  });
});
