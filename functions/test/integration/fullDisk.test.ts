import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { createEmbeddedServices, type EmbeddedServices } from '../../src/adapters/embedded/services.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { systemClock } from '../../src/composition.js';
import { readConfig } from '../../src/config.js';
import { definitions, type QueueDefinition } from '../../src/definitions.js';
import { StoreError } from '../../src/domain/errors.js';
import { newProduct } from '../../src/domain/product.js';
import { consoleLogger } from '../../src/local/logger.js';
import { QueuePump } from '../../src/local/queuePump.js';
import { LIVELY_SCHEDULE } from '../../src/local/timers.js';
import { ADMIN, allOrders, call, createProduct, eventually, removeDataDir, startHost, useHost, type RunningHost } from '../support/localHost.js';
import { CHECKOUT } from '../support/checkout.js';

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Another connection to the same file, with no size limit, filling it with rows until the file
 * reaches `pages` pages and none are free: the store, capped at that size, then has no room.
 */
function fillTo(path: string, pages: number): () => void {
  const other = new Database(path);
  other.exec('CREATE TABLE IF NOT EXISTS filler (bytes BLOB NOT NULL)');
  const grow = other.prepare('INSERT INTO filler (bytes) VALUES (zeroblob(3000))');
  const size = () => other.pragma('page_count', { simple: true }) as number;
  const free = () => other.pragma('freelist_count', { simple: true }) as number;
  while (size() < pages || free() > 0) grow.run();
  other.close();
  // The disk gets its space back: the filler's pages become free pages the store can reuse.
  return () => {
    const freeing = new Database(path);
    freeing.exec('DROP TABLE filler');
    freeing.close();
  };
}

function failureOf(result: PromiseSettledResult<unknown>): StoreError {
  expect(result.status).toBe('rejected');
  const reason = (result as PromiseRejectedResult).reason;
  expect(reason).toBeInstanceOf(StoreError);
  return reason as StoreError;
}

describe('the SQLite file on a full disk', () => {
  const CAP_PAGES = 64;
  let dir: string;
  let path: string;
  let file: SqliteFile;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-full-'));
    path = join(dir, 'store.db');
    file = new SqliteFile(path, { maxBytes: CAP_PAGES * 4096 });
    file.db.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
  });
  afterEach(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const note = (id: number, bytes = 10) => file.write(() => file.statement('INSERT INTO notes (id, text) VALUES (?, ?)').run(id, 'x'.repeat(bytes)).changes);
  const notes = () => file.statement<[], { id: number }>('SELECT id FROM notes ORDER BY id').all().map((row) => row.id);

  it('fails writes as unavailable with a Retry-After, saves none of their batch, and writes again once there is room', async () => {
    const freeSpace = fillTo(path, CAP_PAGES);
    // One batch: two small writes around one that needs fresh pages. SQLite rolls the whole
    // transaction back, so the small ones must not be reported saved (nor be saved).
    const results = await Promise.allSettled([note(1), note(2, 20_000), note(3)]);
    for (const result of results) {
      expect(failureOf(result)).toMatchObject({ kind: 'unavailable', code: 'store_full', retryAfterSeconds: 30 });
    }
    expect(notes()).toEqual([]);
    // What the WAL held is in the database now, and its file gives the disk its space back.
    expect(statSync(`${path}-wal`).size).toBe(0);

    freeSpace();
    await expect(Promise.all([note(4), note(5, 20_000)])).resolves.toEqual([1, 1]);
    expect(notes()).toEqual([4, 5]);
  });

  it('answers its health probe with the failure while full and recovers without reopening', async () => {
    await expect(file.ping()).resolves.toBeUndefined();
    const freeSpace = fillTo(path, CAP_PAGES);
    await settle(1_000); // one probe a second: the next one looks again
    await expect(file.ping()).rejects.toMatchObject({ kind: 'unavailable', code: 'store_full' });
    // A small write that fits in a page already there still goes through: the probe asks for real room.
    await expect(note(1)).resolves.toBe(1);

    freeSpace();
    await settle(1_000);
    await expect(file.ping()).resolves.toBeUndefined();
    expect(file.statement<[], { n: number }>('SELECT COUNT(*) AS n FROM store_probe').get()!.n).toBe(0);
  });

  it('answers a write kept waiting by another writer as busy', async () => {
    file.db.pragma('busy_timeout = 100');
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const [busy] = await Promise.allSettled([note(1)]);
    expect(failureOf(busy!)).toMatchObject({ kind: 'unavailable', code: 'store_busy', retryAfterSeconds: 1 });
    other.exec('COMMIT');
    other.close();
    await expect(note(2)).resolves.toBe(1);
  });
});

describe('the WAL', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-wal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a burst of writes its space back once it is checkpointed', async () => {
    const path = join(dir, 'store.db');
    const file = new SqliteFile(path);
    file.db.exec('CREATE TABLE pictures (id INTEGER PRIMARY KEY, bytes BLOB NOT NULL)');
    const picture = (id: number) => file.write(() => file.statement('INSERT INTO pictures (id, bytes) VALUES (?, zeroblob(?))').run(id, 1024 * 1024));
    // Twelve 1 MB uploads in one turn of the event loop: one commit, a 12 MB WAL.
    await Promise.all(Array.from({ length: 12 }, (_, id) => picture(id)));
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(12 * 1024 * 1024);
    // Checkpointed after that commit, the WAL starts over with the next writes.
    await file.write(() => file.statement('DELETE FROM pictures WHERE id = 0').run());
    expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(4 * 1024 * 1024);
    file.close();
  });
});

describe('the makeline on a full store', () => {
  const CAP_MB = 1;
  let dir: string;
  let services: EmbeddedServices;
  let pump: QueuePump | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-makeline-full-'));
    // Fifty lines, the most an order may ever have: above the default cap a shop would set (MAX_ORDER_LINES).
    const config = readConfig({ DATA_DIR: dir, DATA_MAX_MB: String(CAP_MB), QUEUE_MAX_DELIVERY_COUNT: '3', LOG_LEVEL: 'error', MAX_ORDER_LINES: '50' });
    services = createEmbeddedServices(config, systemClock);
  });
  afterEach(async () => {
    await pump?.stop();
    await services.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('neither spends deliveries nor dead-letters an order while the store has no room, and makes it once there is', async () => {
    // Fifty items: taking their stock needs fresh pages for the reservations.
    const products = Array.from({ length: 50 }, (_, n) => newProduct(`lamp-${n}`, { name: `Lamp ${n}`, description: '', priceCents: 1000, stock: 5, tags: [] }, new Date()));
    for (const product of products) await services.products.create(product);
    const log = consoleLogger('test');
    const { order } = await placeOrder(services, { items: products.map((product) => ({ productId: product.id, quantity: 1 })), ...CHECKOUT }, undefined, log);
    const freeSpace = fillTo(join(dir, 'store.db'), (CAP_MB * 1024 * 1024) / 4096);

    const makeline = definitions.find((definition): definition is QueueDefinition => definition.kind === 'serviceBusQueue')!;
    pump = new QueuePump(makeline, services.embeddedQueue, services, 16);
    await settle(2_000);
    expect((await services.orders.get(order.orderId))!.status).toBe('received');
    expect((await services.queue.deadLetters({ limit: 10 })).items).toEqual([]);

    freeSpace();
    await eventually(async () => (await services.orders.get(order.orderId))!.status === 'pending', 10_000, 100);
    // The makeline writes the order before it completes the message: on a busy machine the two are seen apart.
    await eventually(async () => (await services.queue.depth()).active === 0, 10_000, 100);
    expect(await services.queue.depth()).toEqual({ active: 0, deadLettered: 0 });
    expect((await services.products.get('lamp-49'))!.stock).toBe(4);
  });
});

/** The host's store capped at 1 MB, so a filler row or two from the test is all a "full disk" takes. */
const CAPPED_HOST = {
  SEED_CATALOG: 'false',
  DATA_MAX_MB: '1',
  OUTBOX_RESEND_AFTER_SECONDS: '1',
  OUTBOX_SWEEP_SCHEDULE: LIVELY_SCHEDULE,
  QUEUE_LOCK_DURATION_SECONDS: '2',
  LOG_LEVEL: 'error',
};
const CAPPED_PAGES = (1024 * 1024) / 4096;

async function placeOne(base: string, productId: string) {
  return call(base, 'POST', '/api/orders', { body: { items: [{ productId, quantity: 1 }], ...CHECKOUT } });
}

/** Every one of `orderIds` is pending, and nothing was dead-lettered on the way. */
async function allReachPending(base: string, orderIds: readonly string[]): Promise<void> {
  await eventually(async () => {
    const pending = new Set((await allOrders(base, 'status=pending')).map((order) => order.orderId));
    return orderIds.every((orderId) => pending.has(orderId));
  }, 40_000, 250);
  const deadLetters = await call(base, 'GET', '/api/manage/deadletters', { headers: ADMIN });
  expect(deadLetters.body.items).toEqual([]);
}

describe('the running store when its disk fills up', () => {
  const host = useHost(CAPPED_HOST);

  it('answers 503 with Retry-After and reports the store down, then takes and makes orders again once there is room, without a restart', async () => {
    const product = await createProduct(host.url, { stock: 10_000 });
    const acknowledged: string[] = [];
    for (let n = 0; n < 5; n++) acknowledged.push((await placeOne(host.url, product.id)).body.orderId);
    expect((await call(host.url, 'GET', '/api/health')).status).toBe(200);

    const freeSpace = fillTo(join(host.dataDir, 'store.db'), CAPPED_PAGES);
    // The pages already there still take a few orders; keep ordering until there is no room.
    let refused;
    for (let n = 0; n < 500 && !refused; n++) {
      const reply = await placeOne(host.url, product.id);
      if (reply.status === 202) acknowledged.push(reply.body.orderId);
      else refused = reply;
    }
    expect(refused?.status).toBe(503);
    expect(refused!.headers.get('retry-after')).toBe('30');
    expect(refused!.headers.get('content-type')).toMatch(/^application\/json/);
    expect(refused!.body.error).toMatchObject({ code: 'store_full', message: expect.stringMatching(/disk is full/) });
    const health = await call(host.url, 'GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.body.checks.store.status).toBe('down');

    freeSpace();
    const after = await eventually(async () => {
      const reply = await placeOne(host.url, product.id);
      return reply.status === 202 && reply;
    }, 10_000, 250);
    acknowledged.push(after.body.orderId);
    await eventually(async () => (await call(host.url, 'GET', '/api/health')).status === 200, 5_000, 250);
    await allReachPending(host.url, acknowledged);
  });
});

describe('a host killed while its store is nearly full', () => {
  const hosts: RunningHost[] = [];
  afterAll(async () => {
    for (const running of hosts) await running.kill();
    if (hosts[0]) removeDataDir(hosts[0]);
  });

  it('makes every order it acknowledged after a restart, once there is room again', async () => {
    const first = await startHost({ env: CAPPED_HOST });
    hosts.push(first);
    const product = await createProduct(first.url, { stock: 10_000 });
    // A few orders before the disk fills give the order and queue tables pages with room left, so
    // the store takes some orders while nearly full whatever the filler's last page left over.
    const acknowledged: string[] = [];
    const before = 5;
    for (let n = 0; n < before; n++) acknowledged.push((await placeOne(first.url, product.id)).body.orderId);
    const freeSpace = fillTo(join(first.dataDir, 'store.db'), CAPPED_PAGES);

    // One order alone first: the pages left over take it. Eight at once share commits, each of
    // them writing the order, its hold, its charge and its message, and may all need a new page.
    const alone = await placeOne(first.url, product.id);
    if (alone.status === 202) acknowledged.push(alone.body.orderId);
    let refusals = 0;
    // Eight customers order until the store turns each of them away.
    const customer = async () => {
      for (let n = 0; n < 100; n++) {
        const reply = await placeOne(first.url, product.id);
        if (reply.status !== 202) {
          expect(reply.status).toBe(503);
          refusals++;
          return;
        }
        acknowledged.push(reply.body.orderId);
      }
    };
    await Promise.all(Array.from({ length: 8 }, customer));
    expect(refusals).toBe(8);
    expect(acknowledged.length).toBeGreaterThan(before);
    await first.kill('SIGKILL');

    const second = await startHost({ dataDir: first.dataDir, env: CAPPED_HOST });
    hosts.push(second);
    freeSpace();
    await allReachPending(second.url, acknowledged);
  });
});
