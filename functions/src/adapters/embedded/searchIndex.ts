import type Database from 'better-sqlite3';
import { searchKeys, type Searchable } from '../../domain/search.js';

/**
 * The catalog's search index: one row per (key, product), the keys domain/search.ts gives a
 * product, with the product's place in each catalog order (domain/catalogSort.ts: name, price,
 * time added; then id) in an index of its own. So the products filed under one key are already in
 * the order a page lists them: a search walks its first key's rows from the cursor on and stops
 * after one page, never reading the products it does not show, and a count reads the index alone.
 */
export const SEARCH_SCHEMA = `
CREATE TABLE IF NOT EXISTS product_search (
  key TEXT NOT NULL,
  sort_key TEXT NOT NULL,
  product_id TEXT NOT NULL,
  price_cents INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (key, sort_key, product_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS product_search_by_price ON product_search (key, price_cents, product_id);
CREATE INDEX IF NOT EXISTS product_search_by_created ON product_search (key, created_at, product_id);
-- Re-filing or deleting a product finds its own rows.
CREATE INDEX IF NOT EXISTS product_search_by_product ON product_search (product_id);
`;

interface Filed extends Searchable {
  id: string;
  sortKey: string;
  priceCents: number;
  createdAt: string;
}

type Prepare = (sql: string) => { run(...params: unknown[]): unknown };

/** Files the product under its keys, replacing whatever it was filed under; inside the caller's transaction. */
export function fileProduct(prepare: Prepare, product: Filed): void {
  unfileProduct(prepare, product.id);
  const insert = prepare('INSERT INTO product_search (key, sort_key, product_id, price_cents, created_at) VALUES (?, ?, ?, ?, ?)');
  for (const key of searchKeys(product)) insert.run(key, product.sortKey, product.id, product.priceCents, product.createdAt);
}

export function unfileProduct(prepare: Prepare, id: string): void {
  prepare('DELETE FROM product_search WHERE product_id = ?').run(id);
}

/**
 * An index from before the sorts by price and time (it has no price column) goes, to be made
 * again and refilled by fileUnindexedProducts: it holds nothing the products do not.
 */
export function dropOutdatedSearchIndex(db: Database.Database): void {
  const columns = db.pragma('table_info(product_search)') as Array<{ name: string }>;
  if (columns.length > 0 && !columns.some((column) => column.name === 'price_cents')) db.exec('DROP TABLE product_search');
}

/** Files the products that have no keys yet: those written before the index existed. Runs when a file opens. */
export function fileUnindexedProducts(db: Database.Database): void {
  const unfiled = db
    .prepare<[], { id: string; name: string; sort_key: string; description: string; tags: string; price_cents: number; created_at: string }>(
      `SELECT id, name, sort_key, description, tags, price_cents, created_at FROM products
       WHERE id NOT IN (SELECT product_id FROM product_search)`,
    )
    .all();
  if (unfiled.length === 0) return;
  const statements = new Map<string, Database.Statement>();
  const prepare: Prepare = (sql) => {
    if (!statements.has(sql)) statements.set(sql, db.prepare(sql));
    return statements.get(sql)!;
  };
  db.transaction(() => {
    for (const row of unfiled) {
      fileProduct(prepare, { ...row, sortKey: row.sort_key, priceCents: row.price_cents, createdAt: row.created_at, tags: JSON.parse(row.tags) as string[] });
    }
  })();
}
