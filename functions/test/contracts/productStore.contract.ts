import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import { newProduct, type Product, type ProductDraft } from '../../src/domain/product.js';
import type { ProductStore } from '../../src/ports.js';

const at = new Date('2026-06-01T10:00:00Z');

export function productStoreContract(adapter: string, store: () => ProductStore): void {
  const add = async (draft: Partial<ProductDraft> = {}): Promise<Product> => {
    const product = newProduct(newId(), { name: 'Desk Lamp', description: 'Light.', priceCents: 2500, stock: 5, tags: ['home'], ...draft }, at);
    expect(await store().create(product)).toBe(true);
    return product;
  };

  describe(`ProductStore contract: ${adapter}`, () => {
    it('creates once per id and reads back what it stored', async () => {
      const lamp = await add({ tags: ['home', 'light'] });
      expect(await store().create(lamp)).toBe(false);
      expect(await store().get(lamp.id)).toEqual(lamp);
      expect(await store().getMany([lamp.id, 'missing-id'])).toEqual([lamp]);
      expect(await store().get('missing-id')).toBeNull();
    });

    it('pages through a search in name order without gaps or repeats, by name or tag, any case', async () => {
      const marker = `zz${newId().slice(0, 6).toLowerCase()}`;
      const names = ['Alpha', 'bravo', 'Charlie', 'delta', 'Echo'].map((name) => `${name} ${marker}`);
      for (const name of names) await add({ name });
      await add({ name: 'Foxtrot', tags: [marker] });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store().list({ q: marker.toUpperCase(), limit: 2, cursor });
        seen.push(...page.items.map((product) => product.name));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual([...names, 'Foxtrot']);
      expect((await store().list({ tag: marker, limit: 10 })).items.map((product) => product.name)).toEqual(['Foxtrot']);
    });

    it('lists every tag once, sorted, following creates, edits and deletes', async () => {
      const marker = `t${newId().slice(0, 6).toLowerCase()}`;
      const tagged = (suffix: string) => `${marker}-${suffix}`;
      const one = await add({ tags: [tagged('b'), tagged('a')] });
      const two = await add({ tags: [tagged('a'), tagged('c')] });
      const ours = async () => (await store().tags()).filter((tag) => tag.startsWith(marker));
      expect(await ours()).toEqual([tagged('a'), tagged('b'), tagged('c')]);

      expect((await store().replace({ ...two, tags: [tagged('d')], version: 2 }, 1)).outcome).toBe('replaced');
      expect(await ours()).toEqual([tagged('a'), tagged('b'), tagged('d')]);
      expect(await store().delete(one.id)).toBe(true);
      expect(await ours()).toEqual([tagged('d')]);
      const all = await store().tags();
      expect(all).toEqual([...new Set(all)].sort());
    });

    it('refuses a cursor it did not make as the caller’s mistake', async () => {
      await expect(store().list({ limit: 5, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toMatchObject({ kind: 'invalid' });
      await expect(store().list({ limit: 5, cursor: 'bm90LWEtY3Vyc29y' })).rejects.toBeInstanceOf(StoreError);
    });

    it('replaces only at the expected version and tells stale from missing', async () => {
      const lamp = await add();
      const revised = { ...lamp, priceCents: 1999, version: 2 };
      expect(await store().replace(revised, 1)).toEqual({ outcome: 'replaced', value: revised });
      expect((await store().replace({ ...lamp, version: 2 }, 1)).outcome).toBe('stale');
      expect((await store().replace({ ...lamp, id: 'missing-id' }, 1)).outcome).toBe('missing');
      expect((await store().get(lamp.id))?.priceCents).toBe(1999);
      expect(await store().delete(lamp.id)).toBe(true);
      expect(await store().delete(lamp.id)).toBe(false);
    });

    it('keeps a draft beside the product without changing it, out of the catalog, until cleared', async () => {
      const lamp = await add({ name: `Draft lamp ${newId().slice(0, 6)}` });
      const draft = { description: 'A warm light.', imageUrl: '/api/images/abc', at: at.toISOString(), jobId: 'job-1' };
      expect(await store().saveDraft(lamp.id, draft)).toBe(true);
      expect(await store().saveDraft('missing-id', draft)).toBe(false);
      expect(await store().get(lamp.id)).toEqual({ ...lamp, draft });
      expect(await store().getMany([lamp.id])).toEqual([{ ...lamp, draft }]);
      const listed = (await store().list({ q: lamp.name, limit: 5 })).items;
      expect(listed).toEqual([lamp]);
      const revised = { ...lamp, priceCents: 999, version: 2 };
      expect((await store().replace(revised, 1)).outcome).toBe('replaced');
      expect((await store().get(lamp.id))?.draft).toEqual(draft);
      expect(await store().clearDraft(lamp.id)).toBe(true);
      expect(await store().clearDraft(lamp.id)).toBe(false);
      expect(await store().get(lamp.id)).toEqual(revised);
    });

    it('reserves stock once per order, gives it back once, and never takes it again after', async () => {
      const lamp = await add({ stock: 5 });
      expect(await store().reserveStock('order-a', lamp.id, 3)).toBe('reserved');
      expect(await store().reserveStock('order-a', lamp.id, 3)).toBe('reserved');
      expect((await store().get(lamp.id))?.stock).toBe(2);
      expect(await store().reserveStock('order-b', lamp.id, 3)).toBe('insufficient');
      await store().releaseStock('order-a', lamp.id);
      await store().releaseStock('order-a', lamp.id);
      expect((await store().get(lamp.id))?.stock).toBe(5);
      expect(await store().reserveStock('order-a', lamp.id, 3)).toBe('released');
      await store().releaseStock('order-c', lamp.id);
      expect(await store().reserveStock('order-c', lamp.id, 1)).toBe('released');
      expect((await store().get(lamp.id))?.stock).toBe(5);
    });

    it('never oversells when many orders reserve at once', async () => {
      const lamp = await add({ stock: 5 });
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, n) => store().reserveStock(`rush-${n}`, lamp.id, 1)));
      expect(outcomes.filter((outcome) => outcome === 'reserved')).toHaveLength(5);
      expect((await store().get(lamp.id))?.stock).toBe(0);
    });
  });
}
