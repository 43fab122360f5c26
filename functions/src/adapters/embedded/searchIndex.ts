import type Database from 'better-sqlite3';
import { searchKeys, type Searchable } from '../../domain/search.js';

/**
 * The catalog's search index: one row per (key, product), the keys domain/search.ts gives a
 * product. A search looks its words up here by key, never reading the products it does not find.
 */
export const SEARCH_SCHEMA = `
CREATE TABLE IF NOT EXISTS product_search (
  key TEXT NOT NULL,
  product_id TEXT NOT NULL,
  PRIMARY KEY (key, product_id)
) WITHOUT ROWID;
-- Re-filing or deleting a product finds its own rows.
CREATE INDEX IF NOT EXISTS product_search_by_product ON product_search (product_id);
`;

/** Files the product under its keys, replacing whatever it was filed under; inside the caller's transaction. */
export function fileProduct(db: Database.Database, id: string, product: Searchable): void {
  unfileProduct(db, id);
  const insert = db.prepare('INSERT INTO product_search (key, product_id) VALUES (?, ?)');
  for (const key of searchKeys(product)) insert.run(key, id);
}

export function unfileProduct(db: Database.Database, id: string): void {
  db.prepare('DELETE FROM product_search WHERE product_id = ?').run(id);
}

/** Files the products that have no keys yet: those written before the index existed. Runs when a file opens. */
export function fileUnindexedProducts(db: Database.Database): void {
  const unfiled = db
    .prepare<[], { id: string; name: string; description: string; tags: string }>(
      'SELECT id, name, description, tags FROM products WHERE id NOT IN (SELECT product_id FROM product_search)',
    )
    .all();
  if (unfiled.length === 0) return;
  db.transaction(() => {
    for (const row of unfiled) fileProduct(db, row.id, { ...row, tags: JSON.parse(row.tags) as string[] });
  })();
}
