import { describe, expect, it } from 'vitest';
import type { ImageStore } from '../../src/ports.js';

/** A real 1×1 PNG: the store must keep bytes and type exactly. */
const PNG = Uint8Array.from(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'),
);

export function imageStoreContract(adapter: string, store: () => ImageStore): void {
  describe(`ImageStore contract: ${adapter}`, () => {
    it('gives back exactly the bytes and type it was given', async () => {
      const { id } = await store().put({ bytes: PNG, contentType: 'image/png' });
      expect(id).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
      const image = await store().get(id);
      expect(image?.contentType).toBe('image/png');
      expect(Buffer.from(image!.bytes).equals(Buffer.from(PNG))).toBe(true);
    });

    it('names a picture by its bytes, so storing it twice is harmless', async () => {
      const first = await store().put({ bytes: PNG, contentType: 'image/png' });
      const second = await store().put({ bytes: PNG, contentType: 'image/png' });
      expect(second.id).toBe(first.id);
    });

    it('answers null for a picture it does not have, and pings', async () => {
      expect(await store().get('no-such-image')).toBeNull();
      await expect(store().ping()).resolves.toBeUndefined();
    });
  });
}
