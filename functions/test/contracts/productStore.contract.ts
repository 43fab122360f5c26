import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/domain/errors.js';
import { newId } from '../../src/domain/ids.js';
import { MAX_STOCK, newProduct, type Product, type ProductDraft } from '../../src/domain/product.js';
import type { ProductQuery, ProductStore } from '../../src/ports.js';
import { CATALOG_SORTS, type CatalogSort } from '../../src/domain/catalogSort.js';

/**
 * A word no other product has: letters and digits only, since search splits text at anything
 * else, and an id's "_" or "-" would make the marker two words (one of them short and common).
 */
const wordMarker = (prefix: string) => `${prefix}${newId().slice(-6).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;

const at = new Date('2026-06-01T10:00:00Z');

/** Creates a product in the store and returns it. */
const adder = (store: () => ProductStore) => async (draft: Partial<ProductDraft> = {}): Promise<Product> => {
  const product = newProduct(newId(), { name: 'Desk Lamp', description: 'Light.', priceCents: 2500, stock: 5, tags: ['home'], ...draft }, at);
  expect(await store().create(product)).toBe(true);
  return product;
};

export function productStoreContract(adapter: string, store: () => ProductStore): void {
  const add = adder(store);

  describe(`ProductStore contract: ${adapter}`, () => {
    it('creates once per id and reads back what it stored', async () => {
      const lamp = await add({ tags: ['home', 'light'] });
      expect(await store().create(lamp)).toBe(false);
      expect(await store().get(lamp.id)).toEqual(lamp);
      expect(await store().getMany([lamp.id, 'missing-id'])).toEqual([lamp]);
      expect(await store().get('missing-id')).toBeNull();
    });

    it('pages through a search in name order without gaps or repeats, by name or tag, any case', async () => {
      const marker = wordMarker('zz');
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

    it('finds words in descriptions too, with the text taken literally, and counts every match on every page', async () => {
      const marker = wordMarker('qq');
      await add({ name: 'Kettle', description: `Boils water. ${marker.toUpperCase()} inside.` });
      await add({ name: 'Mug', description: `Holds tea (${marker}).` });
      await add({ name: `Toaster ${marker}` });
      await add({ name: 'Plate', tags: [marker] });
      const first = await store().list({ q: marker, limit: 3 });
      expect(first.items.map((product) => product.name)).toEqual(['Kettle', 'Mug', 'Plate']);
      expect(first.total).toBe(4);
      const second = await store().list({ q: marker, limit: 3, cursor: first.nextCursor! });
      expect(second).toMatchObject({ total: 4, nextCursor: null });
      expect(second.items.map((product) => product.name)).toEqual([`Toaster ${marker}`]);
      // Punctuation separates words, and nothing in the query is a pattern.
      expect((await store().list({ q: `(${marker})`, limit: 3 })).total).toBe(4);
      expect((await store().list({ q: `${marker.slice(0, 4)}%`, limit: 3 })).total).toBe(4);
      expect((await store().list({ q: `${marker.slice(0, 4)}.*`, limit: 3 })).total).toBe(4);
      for (const q of ['%', '.*', '()', `${marker.slice(0, 2)}_${marker.slice(3)}`]) {
        expect((await store().list({ q, limit: 3 })).total, q).toBe(0);
      }
      expect((await store().list({ q: marker, tag: marker, limit: 3 })).total).toBe(1);
    });

    it('matches each word of the query as the start of a word of the product, in any order', async () => {
      const marker = wordMarker('mm');
      await add({ name: `Desk Lamp ${marker}` });
      await add({ name: `Floor Lamp ${marker}`, description: 'Tall.' });
      await add({ name: `Desk Fan ${marker}`, tags: ['summer-sale'] });
      const names = async (q: string) => (await store().list({ q, limit: 10 })).items.map((product) => product.name);
      expect(await names(`lam DESK ${marker}`)).toEqual([`Desk Lamp ${marker}`]);
      expect(await names(`${marker} d`)).toEqual([`Desk Fan ${marker}`, `Desk Lamp ${marker}`]);
      expect(await names(`${marker} tall floor`)).toEqual([`Floor Lamp ${marker}`]);
      expect(await names(`${marker} sale`)).toEqual([`Desk Fan ${marker}`]);
      // Inside a word is not the start of one.
      expect(await names(`${marker} esk`)).toEqual([]);
      expect(await names(marker.slice(1))).toEqual([]);
      expect((await store().list({ q: `${marker} lamp`, tag: 'summer-sale', limit: 10 })).total).toBe(0);
      expect((await store().list({ q: `${marker} fan`, tag: 'summer-sale', limit: 10 })).total).toBe(1);
    });

    it('finds a product by its words as they are now, after an edit and not after a delete', async () => {
      const shop = store();
      const marker = wordMarker('ee');
      const lamp = await add({ name: `Kettle ${marker}` });
      expect((await shop.list({ q: `${marker} kettle`, limit: 5 })).total).toBe(1);
      expect((await shop.replace({ ...lamp, name: `Teapot ${marker}`, tags: ['brew'], version: 2 }, 1)).outcome).toBe('replaced');
      expect((await shop.list({ q: `${marker} kettle`, limit: 5 })).total).toBe(0);
      expect((await shop.list({ q: `${marker} teap brew`, limit: 5 })).items.map((product) => product.name)).toEqual([`Teapot ${marker}`]);
      expect(await shop.delete(lamp.id)).toBe(true);
      expect((await shop.list({ q: marker, limit: 5 })).total).toBe(0);
    });

    it('matches letters beyond ASCII in any case, in names and descriptions', async () => {
      const marker = wordMarker('ww');
      await add({ name: `Éclair Lamp ${marker}` });
      await add({ name: `Vase ${marker}`, description: 'Une lampe ÉLÉGANTE.' });
      await add({ name: `Клавиатура ${marker}` });
      const names = async (q: string) => (await store().list({ q: `${q}`, limit: 10 })).items.map((product) => product.name).filter((name) => name.endsWith(marker));
      expect(await names('éclair')).toEqual([`Éclair Lamp ${marker}`]);
      expect(await names('élégante')).toEqual([`Vase ${marker}`]);
      expect(await names('КЛАВИАТУРА')).toEqual([`Клавиатура ${marker}`]);
    });

    it('keeps the count of matches true as products come and go', async () => {
      // One store throughout, so whatever it keeps between calls is what gets checked.
      const shop = store();
      const marker = wordMarker('cc');
      const lamp = newProduct(newId(), { name: 'Lamp', description: `Warm ${marker} light.`, priceCents: 900, stock: 1, tags: [] }, at);
      const fan = newProduct(newId(), { name: `Fan ${marker}`, description: 'Cool.', priceCents: 900, stock: 1, tags: [] }, at);
      await shop.create(lamp);
      expect((await shop.list({ q: marker, limit: 1 })).total).toBe(1);
      await shop.create(fan);
      expect((await shop.list({ q: marker, limit: 1 })).total).toBe(2);
      await shop.delete(lamp.id);
      expect((await shop.list({ q: marker, limit: 1 })).total).toBe(1);
    });

    it('lists every tag once, sorted, following creates, edits and deletes', async () => {
      const marker = wordMarker('t');
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

    it('lists in each order, searched, by tag or whole, with ties kept in place across pages', async () => {
      const marker = wordMarker('ss');
      const made = [
        { name: 'Kettle', priceCents: 2500, day: 3 },
        { name: 'apron', priceCents: 900, day: 1 },
        { name: 'Mug', priceCents: 900, day: 4 },
        { name: 'Teapot', priceCents: 4000, day: 2 },
        { name: 'Bowl', priceCents: 900, day: 5 },
      ];
      const products: Product[] = [];
      for (const { name, priceCents, day } of made) {
        const product = newProduct(newId(), { name: `${name} ${marker}`, description: 'For the kitchen.', priceCents, stock: 3, tags: [marker] }, new Date(Date.UTC(2026, 0, day)));
        expect(await store().create(product)).toBe(true);
        products.push(product);
      }
      const byId = (a: Product, b: Product) => (a.id < b.id ? -1 : 1);
      const expected: Record<CatalogSort, Product[]> = {
        name: [...products].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase())),
        price_asc: [...products].sort((a, b) => a.priceCents - b.priceCents || byId(a, b)),
        price_desc: [...products].sort((a, b) => b.priceCents - a.priceCents || byId(b, a)),
        newest: [...products].sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
      };
      const pagedThrough = async (query: Omit<ProductQuery, 'limit' | 'cursor'>, limit: number) => {
        const seen: Product[] = [];
        let cursor: string | undefined;
        do {
          const page = await store().list({ ...query, limit, cursor });
          seen.push(...page.items);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return seen;
      };
      for (const sort of CATALOG_SORTS) {
        const names = expected[sort].map((product) => product.name);
        expect((await pagedThrough({ q: marker, sort }, 2)).map((product) => product.name), sort).toEqual(names);
        expect((await pagedThrough({ q: `kitchen ${marker}`, tag: marker, sort }, 2)).map((product) => product.name), sort).toEqual(names);
        expect((await pagedThrough({ tag: marker, sort }, 1)).map((product) => product.name), sort).toEqual(names);
        // The whole catalog (other tests' products too): each of ours once, in this order among themselves.
        const whole = await pagedThrough({ sort }, 7);
        expect(new Set(whole.map((product) => product.id)).size, sort).toBe(whole.length);
        expect(whole.filter((product) => product.tags.includes(marker)).map((product) => product.name), sort).toEqual(names);
      }
      // An edit keeps when the product was added, and moves it in the price order.
      const teapot = products[3]!;
      const cheaper = { ...teapot, priceCents: 100, version: 2 };
      expect(await store().replace(cheaper, 1)).toEqual({ outcome: 'replaced', value: cheaper });
      expect((await store().get(teapot.id))!.createdAt).toBe(teapot.createdAt);
      expect((await store().list({ q: marker, sort: 'price_asc', limit: 1 })).items[0]!.id).toBe(teapot.id);
    });

    it('refuses a cursor of the name order in the price order, as not one it made for that order', async () => {
      await add({ name: 'Alpha' });
      await add({ name: 'Beta' });
      const byName = await store().list({ limit: 1 });
      await expect(store().list({ sort: 'price_desc', limit: 1, cursor: byName.nextCursor! })).rejects.toMatchObject({ kind: 'invalid' });
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
      const lamp = await add({ name: `Draft lamp ${newId().slice(-6)}` });
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

  });
  stockContract(adapter, store);
}

/** The reservation part of the contract, which the makeline relies on. */
export function stockContract(adapter: string, store: () => ProductStore): void {
  const add = adder(store);

  describe(`ProductStore stock contract: ${adapter}`, () => {
    const stockOf = async (...products: Product[]) => Promise.all(products.map(async (product) => (await store().get(product.id))?.stock));

    it('reserves all of an order’s items in one call, once however often repeated, and gives them back once', async () => {
      const lamp = await add({ stock: 5 });
      const fan = await add({ stock: 4 });
      const order = [{ productId: lamp.id, quantity: 3 }, { productId: fan.id, quantity: 2 }];
      expect(await store().reserveStock('order-a', order)).toEqual({ outcome: 'reserved' });
      expect(await store().reserveStock('order-a', order)).toEqual({ outcome: 'reserved' });
      expect(await stockOf(lamp, fan)).toEqual([2, 2]);
      await store().releaseStock('order-a', [lamp.id, fan.id]);
      await store().releaseStock('order-a', [lamp.id, fan.id]);
      expect(await stockOf(lamp, fan)).toEqual([5, 4]);
    });

    it('names the first short item, and leaves stock as it was once the short order is released', async () => {
      const lamp = await add({ stock: 5 });
      const fan = await add({ stock: 1 });
      const kettle = await add({ stock: 1 });
      const order = [{ productId: lamp.id, quantity: 2 }, { productId: fan.id, quantity: 2 }, { productId: kettle.id, quantity: 2 }, { productId: 'missing-id', quantity: 1 }];
      expect(await store().reserveStock('order-short', order)).toEqual({ outcome: 'insufficient', productId: fan.id });
      expect(await store().reserveStock('order-short', order)).toEqual({ outcome: 'insufficient', productId: fan.id });
      await store().releaseStock('order-short', order.map((item) => item.productId));
      expect(await stockOf(lamp, fan, kettle)).toEqual([5, 1, 1]);
      expect(await store().reserveStock('order-gone', [{ productId: 'missing-id', quantity: 1 }])).toEqual({ outcome: 'insufficient', productId: 'missing-id' });
    });

    it('keeps the stock of an order whose holds it forgets, and gives back only what is still held', async () => {
      const lamp = await add({ stock: 5 });
      const fan = await add({ stock: 5 });
      await store().reserveStock('order-kept', [{ productId: lamp.id, quantity: 2 }, { productId: fan.id, quantity: 1 }]);
      await store().forgetHolds('order-kept', [lamp.id, fan.id]);
      await store().forgetHolds('order-kept', [lamp.id, fan.id]);
      await store().releaseStock('order-kept', [lamp.id, fan.id]);
      expect(await stockOf(lamp, fan)).toEqual([3, 4]);
      await store().releaseStock('order-never-reserved', [lamp.id]);
      expect(await stockOf(lamp)).toEqual([3]);
    });

    it('names each order holding stock once, until its holds are released or forgotten', async () => {
      const lamp = await add({ stock: 5 });
      const fan = await add({ stock: 5 });
      const marker = `held-${newId()}`;
      const [both, lampOnly, fanOnly] = ['both', 'lamp', 'fan'].map((name) => `${marker}-${name}`) as [string, string, string];
      await store().reserveStock(both, [{ productId: lamp.id, quantity: 1 }, { productId: fan.id, quantity: 1 }]);
      await store().reserveStock(lampOnly, [{ productId: lamp.id, quantity: 1 }]);
      await store().reserveStock(fanOnly, [{ productId: fan.id, quantity: 2 }]);
      const ours = async () => {
        const held = await store().heldOrderIds();
        expect(new Set(held).size).toBe(held.length);
        return held.filter((id) => id.startsWith(marker)).sort();
      };
      expect(await ours()).toEqual([both, lampOnly, fanOnly].sort());
      await store().releaseStock(both, [lamp.id, fan.id]);
      await store().forgetHolds(fanOnly, [fan.id]);
      expect(await ours()).toEqual([lampOnly]);
      await store().releaseStock(lampOnly, [lamp.id]);
      expect(await ours()).toEqual([]);
    });

    it('lists the products running low, fewest first then by name, leaving out drafts and the rest', async () => {
      const marker = wordMarker('low');
      const empty = await add({ name: `B ${marker}`, stock: 0 });
      const two = await add({ name: `C ${marker}`, stock: 2 });
      const alsoTwo = await add({ name: `A ${marker}`, stock: 2 });
      const enough = await add({ name: `D ${marker}`, stock: 3 });
      expect(await store().saveDraft(two.id, { description: 'Draft.', at: at.toISOString() })).toBe(true);
      const ours = (products: Product[]) => products.filter((product) => product.name.endsWith(marker));
      const low = ours(await store().lowStock(3, 1000));
      expect(low).toEqual([empty, alsoTwo, two]);
      expect(low.map((product) => product.id)).not.toContain(enough.id);
      const few = await store().lowStock(3, 2);
      expect(few).toHaveLength(2);
      expect(few.every((product) => product.stock < 3)).toBe(true);
      expect(few[0]!.stock).toBe(Math.min(...(await store().lowStock(3, 1000)).map((product) => product.stock)));
    });

    it('restocks by an atomic increment that never loses a concurrent reservation, and refuses past the maximum', async () => {
      const lamp = await add({ stock: 10 });
      const reservations = Array.from({ length: 10 }, (_, n) => store().reserveStock(`restock-race-${n}`, [{ productId: lamp.id, quantity: 1 }]));
      const restocks = Array.from({ length: 5 }, () => store().restock(lamp.id, 3));
      const [reserved, restocked] = await Promise.all([Promise.all(reservations), Promise.all(restocks)]);
      expect(reserved.every((outcome) => outcome.outcome === 'reserved')).toBe(true);
      expect(restocked.every((outcome) => outcome.outcome === 'restocked')).toBe(true);
      const after = await store().get(lamp.id);
      expect(after?.stock).toBe(10 - 10 + 15);
      expect(after?.version).toBe(lamp.version + 15);
      expect(await store().restock(lamp.id, MAX_STOCK)).toEqual({ outcome: 'too_much' });
      expect((await store().get(lamp.id))?.stock).toBe(15);
      expect(await store().restock('missing-id', 1)).toEqual({ outcome: 'missing' });
    });

    it('never oversells when many orders reserve at once, nor takes twice when one order does', async () => {
      const lamp = await add({ stock: 5 });
      const fan = await add({ stock: 50 });
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, n) => store().reserveStock(`rush-${n}`, [{ productId: fan.id, quantity: 1 }, { productId: lamp.id, quantity: 1 }])),
      );
      expect(outcomes.filter((outcome) => outcome.outcome === 'reserved')).toHaveLength(5);
      expect(await stockOf(lamp)).toEqual([0]);
      const again = [{ productId: fan.id, quantity: 7 }];
      await Promise.all(Array.from({ length: 10 }, () => store().reserveStock('one-order', again)));
      const afterRush = (await stockOf(fan))[0]!;
      await store().releaseStock('one-order', [fan.id]);
      expect((await stockOf(fan))[0]).toBe(afterRush + 7);
    });
  });
}
