import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SqliteProductStore } from '../../src/adapters/embedded/productStore.js';
import { systemClock } from '../../src/composition.js';
import { newId } from '../../src/domain/ids.js';
import { newProduct } from '../../src/domain/product.js';
import { inHostStore } from '../support/hostStore.js';
import { noisePng, PNG_SIGNATURE_THEN_HTML, scriptInTextChunk, smallJpeg, TINY_PNG, TINY_WEBP, TRAILING_SCRIPT, wrongCrc } from '../support/images.js';
import { ADMIN, call, createProduct, useHost } from '../support/localHost.js';

const upload = (base: string, bytes: Buffer) =>
  call(base, 'POST', '/api/manage/images', { raw: bytes, headers: { ...ADMIN, 'content-type': 'application/octet-stream' } });

/** Where the store would serve these bytes had it kept them: image ids are hashes of the bytes. */
const servedAt = (bytes: Buffer) => `/api/images/${createHash('sha256').update(bytes).digest('base64url')}`;

const lamp = { name: 'Test Lamp', description: 'A lamp for tests.', priceCents: 1999, stock: 10, tags: ['test'] };

describe('uploaded pictures on the local host', () => {
  const host = useHost();

  it('stores a real PNG and a real JPEG, judged by decoding them', async () => {
    for (const [bytes, contentType] of [[TINY_PNG, 'image/png'], [noisePng(64, 48), 'image/png'], [smallJpeg(), 'image/jpeg']] as const) {
      const stored = await upload(host.url, bytes);
      expect(stored.status, contentType).toBe(201);
      expect(stored.body).toMatchObject({ contentType, url: servedAt(bytes) });
      const served = await fetch(`${host.url}${stored.body.url}`);
      expect(served.headers.get('content-type')).toBe(contentType);
    }
  });

  it('refuses, and stores nothing of, what is not a whole picture', async () => {
    const png = noisePng(64, 48);
    const jpeg = smallJpeg();
    const broken: Record<string, Buffer> = {
      'a PNG signature and then HTML': PNG_SIGNATURE_THEN_HTML,
      'a truncated PNG': png.subarray(0, png.length - 100),
      'a PNG missing only its end (IEND)': png.subarray(0, png.length - 12),
      'a whole PNG with a script after IEND': Buffer.concat([png, TRAILING_SCRIPT]),
      'a PNG with a wrong chunk CRC': wrongCrc(png),
      'a PNG with a wrong CRC on a chunk decoders skip': scriptInTextChunk(png),
      'a JPEG signature and then HTML': Buffer.concat([jpeg.subarray(0, 3), Buffer.from('<html><script>alert(1)</script></html>')]),
      'a truncated JPEG': jpeg.subarray(0, Math.floor(jpeg.length * 0.7)),
      'a whole JPEG with a script after EOI': Buffer.concat([jpeg, TRAILING_SCRIPT]),
      'a whole JPEG, a script and another EOI': Buffer.concat([jpeg, TRAILING_SCRIPT, Buffer.from([0xff, 0xd9])]),
    };
    for (const [what, bytes] of Object.entries(broken)) {
      const refused = await upload(host.url, bytes);
      expect(refused.status, what).toBe(422);
      expect(refused.body.error.code, what).toBe('broken_image');
      expect((await fetch(`${host.url}${servedAt(bytes)}`)).status, what).toBe(404);
    }
  });

  it('refuses WebP, interlaced PNGs and pictures of more than 4096 × 4096 pixels', async () => {
    const webp = await upload(host.url, TINY_WEBP);
    expect(webp.status).toBe(415);
    expect(webp.body.error).toMatchObject({ code: 'unsupported_image_type', message: expect.stringContaining('PNG or JPEG') });

    const interlaced = Buffer.from(TINY_PNG);
    interlaced[28] = 1; // the IHDR interlace method: a CRC error too, but refused before decoding
    expect((await upload(host.url, interlaced)).body.error.code).toBe('interlaced_png');

    // A header that claims 5000 × 5000 pixels is refused before anything is inflated.
    const huge = Buffer.from(TINY_PNG);
    huge.writeUInt32BE(5000, 16);
    huge.writeUInt32BE(5000, 20);
    const refused = await upload(host.url, huge);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'image_too_large', message: expect.stringContaining('5000 × 5000') });
  });
});

describe('the image decoders', () => {
  /** Which decoders a fresh process has loaded after importing the app, and after checking one PNG and one JPEG. */
  function decodersLoaded(): { atStart: string[]; afterChecks: string[] } {
    const dist = (path: string) => JSON.stringify(pathToFileURL(resolve('dist', path)).href);
    const script = `
      import { createRequire } from 'node:module';
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => ['pngjs', 'jpeg-js'].filter((name) => Object.keys(cache).some((path) => path.includes('/node_modules/' + name + '/')));
      await import(${dist('index.js')});
      await import(${dist('definitions.js')});
      const atStart = loaded();
      const { imageDecoder } = await import(${dist('adapters/images/decoder.js')});
      await imageDecoder.check(Buffer.from(${JSON.stringify(TINY_PNG.toString('base64'))}, 'base64'));
      await imageDecoder.check(Buffer.from(${JSON.stringify(smallJpeg().toString('base64'))}, 'base64'));
      console.log(JSON.stringify({ atStart, afterChecks: loaded() }));`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], { env: { PATH: process.env.PATH }, encoding: 'utf8' });
    return JSON.parse(output.trim().split('\n').at(-1)!);
  }

  it('load only when a picture is checked, so no other route pays for them at cold start', () => {
    expect(decodersLoaded()).toEqual({ atStart: [], afterChecks: ['pngjs', 'jpeg-js'] });
  });
});

describe('product pictures from other sites', () => {
  describe('with no hosts allowed (the default)', () => {
    const host = useHost();

    it("accepts the store's own pictures and refuses any https URL", async () => {
      const stored = await upload(host.url, TINY_PNG);
      expect((await createProduct(host.url, { imageUrl: stored.body.url })).id).toBeTruthy();
      expect((await createProduct(host.url, { imageUrl: '/images/aurora-headphones.svg' })).id).toBeTruthy();

      const refused = await call(host.url, 'POST', '/api/manage/products', { headers: ADMIN, body: { ...lamp, imageUrl: 'https://cdn.example.com/lamp.png' } });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'image_url_not_allowed', details: [{ path: 'imageUrl' }] });
      for (const path of ['/api/manage/products', '/api/products', '/logout', '/images/../api/x.png']) {
        const created = await call(host.url, 'POST', '/api/manage/products', { headers: ADMIN, body: { ...lamp, imageUrl: path } });
        expect(created.status, path).toBe(400);
      }
    });

    it('keeps showing a product saved with a now-disallowed URL, and checks only a save that changes it', async () => {
      const legacy = newProduct(newId(), { ...lamp, imageUrl: 'https://old-cdn.example.net/lamp.png' }, new Date());
      await inHostStore(host.dataDir, (file) => new SqliteProductStore(file, systemClock).create(legacy));
      expect((await call(host.url, 'GET', `/api/products/${legacy.id}`)).body.imageUrl).toBe(legacy.imageUrl);

      const save = (imageUrl: string, version: number) =>
        call(host.url, 'PUT', `/api/manage/products/${legacy.id}`, { headers: ADMIN, body: { ...lamp, priceCents: 2499, imageUrl, version } });
      const kept = await save(legacy.imageUrl, legacy.version);
      expect(kept.status).toBe(200);
      expect(kept.body).toMatchObject({ priceCents: 2499, imageUrl: legacy.imageUrl });
      expect((await save('https://other.example.net/lamp.png', kept.body.version)).body.error.code).toBe('image_url_not_allowed');
      expect((await save('/images/placeholder.svg', kept.body.version)).status).toBe(200);
    });
  });

  describe('with IMAGE_URL_HOSTS set', () => {
    const host = useHost({ SEED_CATALOG: 'false', IMAGE_URL_HOSTS: 'cdn.example.com, Images.Example.org' });

    it('accepts https pictures from the listed hosts only, on create and on update', async () => {
      const product = await createProduct(host.url, { imageUrl: 'https://cdn.example.com/lamp.png' });
      const update = (imageUrl: string) =>
        call(host.url, 'PUT', `/api/manage/products/${product.id}`, { headers: ADMIN, body: { ...lamp, imageUrl, version: product.version } });
      for (const imageUrl of ['https://evil.example.net/lamp.png', 'https://cdn.example.com.evil.example.net/x.png', 'https://cdn.example.com@evil.example.net/x.png']) {
        const refused = await update(imageUrl);
        expect(refused.status, imageUrl).toBe(400);
        expect(refused.body.error.message, imageUrl).toContain('cdn.example.com, images.example.org');
      }
      expect((await update('https://images.example.org/lamp.jpg')).status).toBe(200);
    });
  });
});
