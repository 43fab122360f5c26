import type Database from 'better-sqlite3';
import { ORDER_STATUSES } from '../../domain/order.js';
import { randomOrderNumber } from '../../domain/orderNumber.js';
import { fileUnindexedProducts, SEARCH_SCHEMA } from './searchIndex.js';

/** Tables of the embedded store: catalog, orders, stock reservations and the queue. */
export const SCHEMA = `
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
  updated_at TEXT NOT NULL,
  draft TEXT
);
CREATE INDEX IF NOT EXISTS products_by_name ON products (sort_key, id);
-- The overview's low-stock list and the virtual supplier read only the few products running low.
CREATE INDEX IF NOT EXISTS products_by_stock ON products (stock, sort_key, id);

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

-- An order's holds go once it is final, and its status keeps it from taking stock again; files
-- from before kept them for good: 'released' tombstones and the holds of completed orders.
DELETE FROM stock_reservations
WHERE state = 'released' OR order_id IN (SELECT order_id FROM orders WHERE status = 'completed');

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
-- Receiving walks live messages in arrival order and stops after a batch; an index led by
-- locked_until would sort the whole backlog on every receive.
DROP INDEX IF EXISTS queue_ready;
CREATE INDEX IF NOT EXISTS queue_live_by_seq ON queue_messages (queue, seq) WHERE dead_lettered_at IS NULL;
-- Settling (complete, abandon) finds a message by the lock it holds.
CREATE INDEX IF NOT EXISTS queue_locks ON queue_messages (lock_token) WHERE lock_token IS NOT NULL;

CREATE TABLE IF NOT EXISTS queue_seen_ids (
  queue TEXT NOT NULL,
  message_id TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  PRIMARY KEY (queue, message_id)
);

CREATE TABLE IF NOT EXISTS images (
  id TEXT PRIMARY KEY,
  content_type TEXT NOT NULL,
  bytes BLOB NOT NULL
);

-- Always empty between transactions: the health probe (SqliteFile.ping) stores a row needing
-- fresh pages here and deletes it before committing, to prove the store still has room.
CREATE TABLE IF NOT EXISTS store_probe (
  id INTEGER PRIMARY KEY,
  room BLOB NOT NULL
);

-- Bulk AI enrichment jobs the local host runs (adapters/embedded/enrichmentJobs.ts); JSON columns.
CREATE TABLE IF NOT EXISTS enrichment_jobs (
  id TEXT PRIMARY KEY,
  created_at TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT NOT NULL,
  progress TEXT,
  result TEXT
);

-- Each client's requests in the current window of a limit (adapters/embedded/rateCounter.ts); the
-- key names the limit, the client and the window, so a row is dead once window_end has passed.
CREATE TABLE IF NOT EXISTS rate_counters (
  key TEXT PRIMARY KEY,
  hits INTEGER NOT NULL,
  window_end INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS rate_counters_by_end ON rate_counters (window_end);

-- The demo payment provider's charges and refunds, by idempotency key (adapters/embedded/paymentLedger.ts).
CREATE TABLE IF NOT EXISTS payment_ledger (
  key TEXT PRIMARY KEY,
  order_id TEXT NOT NULL,
  at TEXT NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS payment_ledger_by_order ON payment_ledger (order_id, at);

CREATE TABLE IF NOT EXISTS audit_log (
  at TEXT NOT NULL,
  id TEXT NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (at, id)
);
`;

/** Columns added after files were already in use: SQLite has no ADD COLUMN IF NOT EXISTS. */
const ADDED_COLUMNS: ReadonlyArray<{ table: string; column: string; definition: string }> = [
  { table: 'products', column: 'draft', definition: 'TEXT' },
  // The account an order belongs to (domain/owner.ts ownerKey); null for a guest's order.
  { table: 'orders', column: 'owner_key', definition: 'TEXT' },
  { table: 'orders', column: 'number', definition: 'TEXT' },
  // When the outbox sweeper has work for the order (domain/payment.ts sweepDueAt); null for none.
  { table: 'orders', column: 'sweep_at', definition: 'TEXT' },
];

/** What needs the added columns, so it runs after them. */
const AFTER_ADDED_COLUMNS = `
CREATE INDEX IF NOT EXISTS orders_by_owner ON orders (owner_key, created_at, order_id) WHERE owner_key IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_sweep_due ON orders (sweep_at) WHERE sweep_at IS NOT NULL;
`;
/**
 * Orders placed before order numbers existed get one, in the column and in the stored document,
 * so every order can be found and read by its number. Runs once: afterwards none lacks one.
 */
function numberOldOrders(db: Database.Database): void {
  const unnumbered = db.prepare<[], { order_id: string; doc: string }>('SELECT order_id, doc FROM orders WHERE number IS NULL').all();
  if (unnumbered.length === 0) return;
  const taken = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM orders WHERE number = ?');
  const update = db.prepare('UPDATE orders SET number = ?, doc = ? WHERE order_id = ?');
  db.transaction(() => {
    for (const row of unnumbered) {
      let number = randomOrderNumber();
      while (taken.get(number)!.n > 0) number = randomOrderNumber();
      update.run(number, JSON.stringify({ ...JSON.parse(row.doc), number }), row.order_id);
    }
  })();
}

/**
 * How many orders each status has, for the admin overview: kept by triggers in the transaction of
 * every write that adds an order or changes its status, so reading them costs six rows however many
 * orders there are. A file from before the table counts its orders once, as the table is made.
 */
function keepOrderCounts(db: Database.Database): void {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'order_counts'").get();
  // A status added since the table was made (awaiting_payment) starts at none.
  if (exists) {
    const add = db.prepare('INSERT OR IGNORE INTO order_counts (status, n) VALUES (?, 0)');
    for (const status of ORDER_STATUSES) add.run(status);
    return;
  }
  db.transaction(() => {
    db.exec('CREATE TABLE order_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    const seed = db.prepare(`INSERT INTO order_counts (status, n) VALUES (?, (SELECT COUNT(*) FROM orders WHERE status = ?))`);
    for (const status of ORDER_STATUSES) seed.run(status, status);
    db.exec(`
      CREATE TRIGGER order_counts_insert AFTER INSERT ON orders BEGIN
        UPDATE order_counts SET n = n + 1 WHERE status = NEW.status;
      END;
      CREATE TRIGGER order_counts_status AFTER UPDATE OF status ON orders WHEN OLD.status <> NEW.status BEGIN
        UPDATE order_counts SET n = n - 1 WHERE status = OLD.status;
        UPDATE order_counts SET n = n + 1 WHERE status = NEW.status;
      END;
      CREATE TRIGGER order_counts_delete AFTER DELETE ON orders BEGIN
        UPDATE order_counts SET n = n - 1 WHERE status = OLD.status;
      END;`);
  })();
}

/** Creates what is missing, and brings files made by older versions up to date. */
export function applySchema(db: Database.Database): void {
  db.exec(SCHEMA);
  db.exec(SEARCH_SCHEMA);
  for (const { table, column, definition } of ADDED_COLUMNS) {
    const columns = db.pragma(`table_info(${table})`) as Array<{ name: string }>;
    if (!columns.some((existing) => existing.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
  db.exec(AFTER_ADDED_COLUMNS);
  numberOldOrders(db);
  fileUnindexedProducts(db);
  // After the column exists (older files gain it above): no two orders share a number.
  db.exec('CREATE UNIQUE INDEX IF NOT EXISTS orders_by_number ON orders (number)');
  keepOrderCounts(db);
}
