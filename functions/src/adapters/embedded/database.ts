import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS products (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  sort_key TEXT NOT NULL,
  description TEXT NOT NULL,
  price_cents INTEGER NOT NULL,
  image_url TEXT NOT NULL,
  tags TEXT NOT NULL,
  stock INTEGER NOT NULL CHECK (stock >= 0),
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS products_by_name ON products (sort_key, id);

CREATE TABLE IF NOT EXISTS stock_reservations (
  order_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('reserved', 'released')),
  PRIMARY KEY (order_id, product_id)
);

CREATE TABLE IF NOT EXISTS orders (
  order_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_by_created ON orders (created_at, order_id);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders (status, created_at, order_id);

CREATE TABLE IF NOT EXISTS queue_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL,
  body TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  locked_until INTEGER NOT NULL DEFAULT 0,
  lock_token TEXT,
  delivery_count INTEGER NOT NULL DEFAULT 0,
  dead_lettered_at INTEGER,
  dead_letter_reason TEXT,
  dead_letter_description TEXT
);
CREATE INDEX IF NOT EXISTS queue_ready ON queue_messages (queue, dead_lettered_at, locked_until, seq);

CREATE TABLE IF NOT EXISTS queue_seen_ids (
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (queue, message_id)
);
`;

/**
 * Opens (creating if needed) the store's one SQLite file. WAL lets readers run beside the
 * writer; synchronous=FULL makes every commit survive power loss, not only a process crash.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.exec(SCHEMA);
  return db;
}

/** Cursors are opaque to callers: base64url of the sort key where the last page ended. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, parts: number): string[] | null {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === parts && key.every((part) => typeof part === 'string')) return key;
  } catch {
    // fall through: not a cursor this store made
  }
  return null;
}
