import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { SqliteProductStore } from '../../src/adapters/embedded/productStore.js';
import { newProduct } from '../../src/domain/product.js';

describe('group commit in the SQLite file', () => {
  let dir: string;
  let file: SqliteFile;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-file-'));
    file = new SqliteFile(join(dir, 'store.db'));
    file.db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  });
  afterEach(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const insert = (id: number, text: string | null) =>
    file.write(() => file.statement('INSERT INTO notes (id, text) VALUES (?, ?)').run(id, text).changes);

  it('commits writes of one event-loop turn together, and each resolves only once committed', async () => {
    const reader = new SqliteFile(join(dir, 'store.db'));
    const visibleToOthers = () => reader.statement<[], { n: number }>('SELECT COUNT(*) AS n FROM notes').get()!.n;
    const writes = [insert(1, 'a'), insert(2, 'b'), insert(3, 'c')];
    expect(visibleToOthers()).toBe(0);
    await Promise.all(writes);
    expect(visibleToOthers()).toBe(3);
    reader.close();
  });

  it('rolls back only the write that failed', async () => {
    const results = await Promise.allSettled([insert(1, 'a'), insert(2, null), insert(3, 'c')]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(file.statement<[], { id: number }>('SELECT id FROM notes ORDER BY id').all().map((row) => row.id)).toEqual([1, 3]);
  });

  it('commits what is pending when closed, so nothing requested is dropped', async () => {
    const pending = insert(7, 'last words');
    file.close();
    await expect(pending).resolves.toBe(1);
    const reopened = new SqliteFile(join(dir, 'store.db'));
    expect(reopened.statement<[], { text: string }>('SELECT text FROM notes WHERE id = 7').get()?.text).toBe('last words');
    reopened.close();
  });
});

describe('the catalog page cache', () => {
  let dir: string;
  let file: SqliteFile;
  let products: SqliteProductStore;
  const clock = { now: () => new Date('2026-05-01T00:00:00Z') };
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-cache-'));
    file = new SqliteFile(join(dir, 'store.db'));
    products = new SqliteProductStore(file, clock);
    await products.create(newProduct('kettle', { name: 'Kettle', description: '', priceCents: 3000, stock: 5, tags: ['home'] }, clock.now()));
  });
  afterEach(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows a change made in this process at once', async () => {
    expect((await products.list({ limit: 10 })).items[0]!.stock).toBe(5);
    await products.reserveStock('o1', [{ productId: 'kettle', quantity: 2 }]);
    expect((await products.list({ limit: 10 })).items[0]!.stock).toBe(3);
  });

  it('shows a change committed by another connection to the same file', async () => {
    expect((await products.list({ limit: 10 })).items[0]!.priceCents).toBe(3000);
    const other = new SqliteFile(join(dir, 'store.db'));
    other.db.prepare("UPDATE products SET price_cents = 2500 WHERE id = 'kettle'").run();
    other.close();
    expect((await products.list({ limit: 10 })).items[0]!.priceCents).toBe(2500);
  });

  it('hands out cached pages nobody can change by accident, and a page asked once to its caller alone', async () => {
    // Asked once, the page is made for this caller alone and kept nowhere: changing it changes nothing else.
    const once = await products.list({ limit: 10 });
    const stock = once.items[0]!.stock;
    (once.items[0] as { stock: number }).stock = 99;
    // Asked again, it is made afresh and cached, frozen.
    expect((await products.list({ limit: 10 })).items[0]!.stock).toBe(stock);
    const cached = await products.list({ limit: 10 });
    expect(() => {
      (cached.items[0] as { stock: number }).stock = 99;
    }).toThrow(TypeError);
  });
});
