import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ByteBoundedCache } from '../../src/adapters/embedded/byteBoundedCache.js';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { SqliteProductStore } from '../../src/adapters/embedded/productStore.js';
import { newProduct } from '../../src/domain/product.js';
import { queryKeys, queryProblem, searchKeys } from '../../src/domain/search.js';
import type { ProductQuery } from '../../src/ports.js';
import { CATALOG_SORTS } from '../../src/domain/catalogSort.js';

const clock = { now: () => new Date('2026-05-01T00:00:00Z') };

describe('the search rules', () => {
  it('files a product under the prefixes of its words and its tags, any letter lower-cased', () => {
    expect(searchKeys({ name: 'Éclair', description: 'Hot-Dog', tags: ['Sale'] })).toEqual(
      ['#Sale', 'd', 'do', 'dog', 'h', 'ho', 'hot', 's', 'sa', 'sal', 'sale', 'é', 'éc', 'écl', 'écla', 'éclai', 'éclair'].sort(),
    );
    // NFC first: an e and a combining acute accent are the é a shopper types.
    expect(searchKeys({ name: 'e\u0301', description: '', tags: [] })).toEqual(['é']);
  });

  it('asks for one key per distinct word, and for nothing when no word is left', () => {
    expect(queryKeys({ q: 'LAMP desk lamp' })).toEqual(['lamp', 'desk']);
    expect(queryKeys({ q: 'lamp', tag: 'home' })).toEqual(['lamp', '#home']);
    expect(queryKeys({})).toEqual([]);
    expect(queryKeys({ q: '%_*' })).toBe('nothing');
  });

  it('refuses control characters, and queries too long or of too many words', () => {
    expect(queryProblem('desk lamp')).toBeNull();
    for (const control of ['\u0000', '\u001b', '\u007f', '\u0085', '\u2028', 'a\nb']) expect(queryProblem(control)).toMatch(/control/);
    expect(queryProblem('x'.repeat(101))).toMatch(/at most 100 characters/);
    expect(queryProblem('a b c d e f g h i')).toMatch(/at most 8 words/);
  });
});

describe('catalog search on SQLite', () => {
  let dir: string;
  let file: SqliteFile;
  let products: SqliteProductStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-search-'));
    file = new SqliteFile(join(dir, 'store.db'));
    products = new SqliteProductStore(file, clock);
    for (let n = 0; n < 60; n++) {
      await products.create(newProduct(`p${n}`, { name: `Lamp ${n}`, description: n % 2 ? 'A desk light.' : 'A floor light.', priceCents: 100, stock: 1, tags: n % 3 ? ['home'] : [] }, clock.now()));
    }
  });
  afterEach(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every query a list() runs, with its parameters, by watching the store's prepared statements. */
  function queriesOf(run: () => Promise<unknown>): Promise<Array<{ sql: string; params: unknown }>> {
    const seen: Array<{ sql: string; params: unknown }> = [];
    const prepare = file.statement.bind(file);
    file.statement = ((sql: string) => {
      const statement = prepare(sql);
      const watched = (method: 'get' | 'all') => (...params: unknown[]) => {
        seen.push({ sql, params: params[0] ?? {} });
        return (statement[method] as (...args: unknown[]) => unknown)(...params);
      };
      return { ...statement, get: watched('get'), all: watched('all') };
    }) as typeof file.statement;
    return run().then(() => {
      file.statement = prepare;
      return seen.filter(({ sql }) => !sql.startsWith('PRAGMA'));
    });
  }

  it('looks searched words and tags up in the index and reads no product it does not find', async () => {
    const first = await products.list({ q: 'lam', limit: 5 });
    const searches: ProductQuery[] = [
      { q: 'lam', limit: 5 },
      { q: 'lam', limit: 5, cursor: first.nextCursor! },
      { q: 'desk lamp', tag: 'home', limit: 5 },
      { tag: 'home', limit: 5 },
    ];
    for (const search of searches) {
      const queries = await queriesOf(() => new SqliteProductStore(file, clock).list(search));
      expect(queries.length, JSON.stringify(search)).toBeGreaterThanOrEqual(2);
      for (const { sql, params } of queries) {
        const plan = file.db.prepare<[unknown], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(params).map((row) => row.detail);
        const steps = plan.join('\n');
        // The index walked by key (aliased filed, and also for a further word), products read by id only...
        expect(plan.some((step) => /^SEARCH (product_search|filed) USING (COVERING INDEX|PRIMARY KEY) .*\(key=\?/.test(step)), steps).toBe(true);
        expect(plan.filter((step) => /^SEARCH products/.test(step) && !/\(id=\?\)/.test(step)), steps).toEqual([]);
        // ...neither scanned (only the merged matches are), and nothing sorted: the index's own order is the page's.
        expect(plan.filter((step) => /^SCAN (products|product_search|filed|also)\b/.test(step)), steps).toEqual([]);
        expect(plan.filter((step) => /TEMP B-TREE/.test(step)), steps).toEqual([]);
      }
    }
  });

  it('lists every order, searched or whole, along an index, sorting at most the page it shows', async () => {
    const searches: ProductQuery[] = [];
    for (const sort of CATALOG_SORTS) {
      const first = await products.list({ q: 'lam', sort, limit: 5 });
      searches.push({ q: 'lam', sort, limit: 5 }, { q: 'lam', sort, limit: 5, cursor: first.nextCursor! }, { q: 'desk lamp', tag: 'home', sort, limit: 5 });
      const whole = await products.list({ sort, limit: 5 });
      searches.push({ sort, limit: 5 }, { sort, limit: 5, cursor: whole.nextCursor! });
    }
    for (const search of searches) {
      const queries = await queriesOf(() => new SqliteProductStore(file, clock).list(search));
      for (const { sql, params } of queries) {
        const plan = file.db.prepare<[unknown], { id: number; parent: number; detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(params);
        const steps = plan.map((step) => step.detail).join('\n');
        if (/^SELECT COUNT/.test(sql)) continue; // the count, the same for every order: the test above
        // Products read by id or along an index of the order; the search index by key; neither scanned bare.
        expect(plan.filter(({ detail }) => /^S(CAN|EARCH) products\b/.test(detail) && !/\(id=\?\)|USING INDEX products_by_(name|price|created)\b/.test(detail)), steps).toEqual([]);
        expect(plan.filter(({ detail }) => /^SCAN (product_search|filed|also)\b/.test(detail)), steps).toEqual([]);
        if (search.q) expect(steps, JSON.stringify(search)).toMatch(/SEARCH product_search USING (COVERING INDEX|PRIMARY KEY)/);
        // A sort only at the top, over the page the merged matches gave (at most limit + 1 rows).
        expect(plan.filter(({ detail, parent }) => /TEMP B-TREE/.test(detail) && parent !== 0), steps).toEqual([]);
        if (!search.q && !search.tag) expect(steps, JSON.stringify(search)).not.toMatch(/TEMP B-TREE/);
      }
    }
  });

  it('finds the products of a file written before the index, once it is opened again', async () => {
    file.db.exec('DELETE FROM product_search');
    file.close();
    file = new SqliteFile(join(dir, 'store.db'));
    products = new SqliteProductStore(file, clock);
    expect((await products.list({ q: 'desk lamp', limit: 100 })).total).toBe(30);
    expect((await products.list({ tag: 'home', limit: 100 })).total).toBe(40);
  });

  it('gives a file from before the sorts a time added for every product and an index it can sort searches by', async () => {
    file.db.exec(`
      DROP INDEX products_by_created; ALTER TABLE products DROP COLUMN created_at;
      DROP TABLE product_search;
      CREATE TABLE product_search (key TEXT NOT NULL, sort_key TEXT NOT NULL, product_id TEXT NOT NULL, PRIMARY KEY (key, sort_key, product_id)) WITHOUT ROWID;
      INSERT INTO product_search VALUES ('lamp', 'lamp 0', 'p0');
      UPDATE products SET updated_at = '2026-04-01T00:00:00.000Z' WHERE id = 'p7';`);
    file.close();
    file = new SqliteFile(join(dir, 'store.db'));
    products = new SqliteProductStore(file, clock);
    expect(await products.get('p7')).toMatchObject({ createdAt: '2026-04-01T00:00:00.000Z', updatedAt: '2026-04-01T00:00:00.000Z' });
    expect((await products.list({ q: 'desk lamp', limit: 100 })).total).toBe(30);
    const newestFirst = await products.list({ q: 'lamp', sort: 'newest', limit: 60 });
    expect(newestFirst.items.at(-1)!.id).toBe('p7');
  });

  it('keeps cached pages within its bound in bytes, the least recently used going first', async () => {
    const small = new SqliteProductStore(file, clock, 20_000);
    const onePage = JSON.stringify(await small.list({ limit: 10 })).length;
    const pages = Array.from({ length: 30 }, (_, n) => ({ q: `lamp ${n}`, limit: 10 }));
    const cache = (small as unknown as { cache: ByteBoundedCache<unknown> }).cache;
    // A page asked for once is not kept (its count is, a few bytes): a crawl of distinct pages fills nothing.
    for (const page of pages) await small.list(page);
    expect(cache.bytes).toBeLessThan(onePage);
    for (const page of pages) await small.list(page);
    expect(cache.bytes).toBeLessThanOrEqual(20_000);
    expect(cache.bytes).toBeGreaterThan(20_000 - 4 * onePage);
  });
});

describe('a cache bounded in bytes', () => {
  it('lets the least recently used go first, and keeps nothing larger than itself', () => {
    const cache = new ByteBoundedCache<string>(10);
    cache.set('a', 'A', 4);
    cache.set('b', 'B', 4);
    expect(cache.get('a')).toBe('A');
    cache.set('c', 'C', 4);
    expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual(['A', undefined, 'C']);
    expect(cache.bytes).toBe(8);
    cache.set('a', 'A2', 6);
    expect([cache.get('a'), cache.get('c')]).toEqual(['A2', 'C']);
    expect(cache.bytes).toBe(10);
    cache.set('huge', 'H', 11);
    expect([cache.get('huge'), cache.get('a'), cache.get('c')]).toEqual([undefined, 'A2', 'C']);
  });
});
