import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/**
 * The durable yardstick: node:http that parses the JSON body, inserts it as one SQLite row and
 * answers 202 only once the commit holding that row is fsynced (WAL, synchronous=FULL). Rows
 * that arrive during one turn of the event loop share a transaction and its fsync, as the
 * store's SqliteFile does; nothing else (no validation, no queue, no makeline).
 */
const db = new Database(join(process.env.DATA_DIR ?? '.', 'bare-durable.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec('CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, doc TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO orders (order_id, doc) VALUES (?, ?)');
const commit = db.transaction((rows: ReadonlyArray<{ orderId: string; doc: string }>) => {
  for (const row of rows) insert.run(row.orderId, row.doc);
});

let pending: Array<{ orderId: string; doc: string; response: ServerResponse }> = [];
function flush(): void {
  const batch = pending;
  pending = [];
  commit.immediate(batch);
  for (const { orderId, response } of batch) {
    response.writeHead(202, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ orderId }));
  }
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const order = JSON.parse(Buffer.concat(chunks).toString('utf8')) as object;
    const orderId = randomUUID();
    if (pending.length === 0) setImmediate(flush);
    pending.push({ orderId, doc: JSON.stringify({ ...order, orderId }), response });
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log(`bare durable server on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
process.on('SIGTERM', () =>
  server.close(() => {
    db.close();
    process.exit(0);
  }),
);
