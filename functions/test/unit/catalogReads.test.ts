import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/adapters/embedded/catalogQuery.js';
import type { CatalogReads } from '../../src/adapters/embedded/catalogReads.js';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { SqliteProductStore } from '../../src/adapters/embedded/productStore.js';
import { newProduct } from '../../src/domain/product.js';

const clock = { now: () => new Date('2026-05-01T00:00:00Z') };
const lamp = (n: number) => newProduct(`lamp-${n}`, { name: `Lamp ${n}`, description: 'A desk light.', priceCents: 100, stock: 1, tags: [] }, clock.now());

/**
 * A read that lands after a write: the catalog thread reads beside the host's connection, so a
 * page it read before a product was added can come back after the add has committed.
 */
describe('catalog pages read off the store connection', () => {
  let dir: string;
  let file: SqliteFile;
  let products: SqliteProductStore;
  /** While set, reads take their snapshot at once and answer only when released. */
  let held: Array<() => void> | undefined;
  let reads = 0;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-catalog-reads-'));
    file = new SqliteFile(join(dir, 'store.db'));
    reads = 0;
    const offTheConnection: CatalogReads = {
      async read(query, withTotal) {
        reads++;
        const read = readCatalog(file, query, withTotal);
        if (held) await new Promise<void>((release) => held!.push(release));
        return read;
      },
      async close() {},
    };
    products = new SqliteProductStore(file, clock, undefined, offTheConnection);
    for (let n = 0; n < 3; n++) await products.create(lamp(n));
  });
  afterEach(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const release = () => {
    const waiting = held ?? [];
    held = undefined;
    for (const go of waiting) go();
  };

  it('does not keep the count of a read that began before a product was added', async () => {
    held = [];
    const before = products.list({ q: 'lamp', limit: 2 });
    await products.create(lamp(3));
    release();
    expect((await before).total).toBe(3);
    // The next page of the same search takes its count from the cache when it has one.
    const now = await products.list({ q: 'lamp', limit: 10 });
    expect(now.items).toHaveLength(4);
    expect(now.total).toBe(4);
  });

  it('does not cache a page read before a product was added, though the page was asked for again meanwhile', async () => {
    const query = { q: 'lamp', limit: 10 };
    held = [];
    const before = products.list(query);
    await products.create(lamp(3));
    const waiting = held;
    held = undefined;
    // Asked again after the add: read afresh, and remembered as asked once.
    expect((await products.list(query)).items).toHaveLength(4);
    for (const go of waiting) go();
    expect((await before).items).toHaveLength(3);
    expect((await products.list(query)).items).toHaveLength(4);
    expect((await products.list(query)).items).toHaveLength(4);
  });

  it('refuses an unknown cursor before it asks for a read (a thread would answer it as a failure of its own)', async () => {
    await expect(products.list({ limit: 10, cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'invalid_cursor' });
    expect(reads).toBe(0);
  });
});
