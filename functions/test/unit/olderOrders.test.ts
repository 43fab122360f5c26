import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedServices } from '../../src/adapters/embedded/services.js';
import { systemClock } from '../../src/composition.js';
import { readConfig } from '../../src/config.js';
import { ORDER_NUMBER_PATTERN } from '../../src/domain/orderNumber.js';

/** An order as versions before order numbers and addresses stored it. */
const oldOrder = (orderId: string) => ({
  orderId,
  customer: { name: 'Early Bird' },
  items: [{ productId: 'lamp', name: 'Lamp', quantity: 1, unitPriceCents: 1999 }],
  totalCents: 1999,
  status: 'completed',
  history: [{ status: 'received', at: '2026-01-01T00:00:00.000Z' }],
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  requestHash: 'old',
});

describe('a SQLite file from before order numbers', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('opens, gives every old order a number it can be found by, and keeps showing it without an address', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-older-'));
    const config = readConfig({ DATA_DIR: dir });
    mkdirSync(dir, { recursive: true });
    const old = new Database(config.databaseFile);
    old.exec(`CREATE TABLE orders (order_id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)`);
    const insert = old.prepare('INSERT INTO orders (order_id, status, created_at, version, doc) VALUES (?, ?, ?, ?, ?)');
    for (const id of ['old-1', 'old-2']) insert.run(id, 'completed', '2026-01-01T00:00:00.000Z', 1, JSON.stringify(oldOrder(id)));
    old.close();

    const services = createEmbeddedServices(config, systemClock);
    try {
      const [first, second] = [(await services.orders.get('old-1'))!, (await services.orders.get('old-2'))!];
      expect(first.number).toMatch(ORDER_NUMBER_PATTERN);
      expect(second.number).toMatch(ORDER_NUMBER_PATTERN);
      expect(first.number).not.toBe(second.number);
      expect(first.shipping).toBeUndefined();
      expect(first.customer).toEqual({ name: 'Early Bird' });
      const found = await services.orders.list({ number: first.number!, limit: 5 });
      expect(found.items.map((order) => order.orderId)).toEqual(['old-1']);
    } finally {
      await services.close();
    }
  });
});

describe('a SQLite file from before the kept order counts', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts its orders once on opening, then keeps the counts with every write, reading them without a scan', async () => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-counts-'));
    const config = readConfig({ DATA_DIR: dir });
    const old = new Database(config.databaseFile);
    old.exec(`CREATE TABLE orders (order_id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)`);
    const insert = old.prepare('INSERT INTO orders (order_id, status, created_at, version, doc) VALUES (?, ?, ?, ?, ?)');
    for (const id of ['old-1', 'old-2', 'old-3']) insert.run(id, 'completed', '2026-01-01T00:00:00.000Z', 1, JSON.stringify(oldOrder(id)));
    old.close();

    let services = createEmbeddedServices(config, systemClock);
    try {
      expect(await services.orders.countByStatus()).toMatchObject({ completed: 3, received: 0 });
      const first = (await services.orders.get('old-1'))!;
      expect((await services.orders.replace({ ...first, status: 'cancelled', version: 2 }, 1)).outcome).toBe('replaced');
      expect(await services.orders.countByStatus()).toMatchObject({ completed: 2, cancelled: 1 });
    } finally {
      await services.close();
    }
    // The counts are read from their table, not counted from the orders: a count set by hand shows.
    const file = new Database(config.databaseFile);
    file.prepare("UPDATE order_counts SET n = 1000 WHERE status = 'completed'").run();
    file.close();
    services = createEmbeddedServices(config, systemClock);
    try {
      expect(await services.orders.countByStatus()).toMatchObject({ completed: 1000, cancelled: 1 });
    } finally {
      await services.close();
    }
  });
});
