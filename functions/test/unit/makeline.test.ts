import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { moveOrder } from '../../src/app/moveOrder.js';
import { makeOrder } from '../../src/app/makeline.js';
import { applyCancellation } from '../../src/app/cancellation.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { addProduct, receivedOrder, silentLog, tempServices } from '../support/services.js';
import { CHECKOUT } from '../support/checkout.js';

type Services = ReturnType<typeof tempServices>;

/** An order as the makeline meets it: received, holding no stock yet (as every order was before payments). */
const order = async (services: Services, productId: string, quantity: number) => receivedOrder(services, [{ productId, quantity }]);

/** 4 of a plentiful product and the last one of a scarce product another order took first: rejected when made. */
async function rejectedMixedOrder(services: Services) {
  const plenty = await addProduct(services, { stock: 10 });
  const scarce = await addProduct(services, { stock: 1 });
  const blocker = await order(services, scarce.id, 1);
  const mixed = await receivedOrder(services, [{ productId: plenty.id, quantity: 4 }, { productId: scarce.id, quantity: 1 }]);
  await makeOrder(services, blocker.orderId);
  expect((await makeOrder(services, mixed.orderId)).status).toBe('rejected');
  return { plenty, mixed };
}

describe('the makeline on the embedded store', () => {
  let services: ReturnType<typeof tempServices>;
  beforeEach(() => {
    services = tempServices();
  });
  afterEach(() => services.dispose());

  it('rejects the order that finds stock gone, with the reason, and keeps the first', async () => {
    const lamp = await addProduct(services, { name: 'Brass Lamp', stock: 1 });
    const first = await order(services, lamp.id, 1);
    const second = await order(services, lamp.id, 1);
    expect((await makeOrder(services, first.orderId)).status).toBe('pending');
    const rejected = await makeOrder(services, second.orderId);
    expect(rejected.status).toBe('rejected');
    expect(rejected.history.at(-1)?.reason).toBe('Not enough stock for Brass Lamp.');
    expect((await services.products.get(lamp.id))?.stock).toBe(0);
  });

  it('gives back what a rejected order took of its other items', async () => {
    const { plenty } = await rejectedMixedOrder(services);
    expect((await services.products.get(plenty.id))?.stock).toBe(10);
  });

  it('takes stock once however often, and however concurrently, a message is redelivered', async () => {
    const fan = await addProduct(services, { stock: 10 });
    const placed = await order(services, fan.id, 3);
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => makeOrder(services, placed.orderId)));
    expect(results.every((result) => result.status === 'pending')).toBe(true);
    await makeOrder(services, placed.orderId);
    expect((await services.products.get(fan.id))?.stock).toBe(7);
    const stored = await services.orders.get(placed.orderId);
    expect(stored?.history.map((step) => step.status)).toEqual(['received', 'pending']);
  });

  it('throws for an order that does not exist, so the queue can redeliver and dead-letter it', async () => {
    await expect(makeOrder(services, 'no-such-order')).rejects.toThrow(/does not exist/);
  });
});

describe('stock holds of final orders on the embedded store', () => {
  let services: ReturnType<typeof tempServices>;
  beforeEach(() => {
    services = tempServices();
  });
  afterEach(() => services.dispose());

  const holdCount = () => {
    const db = new Database(services.config.databaseFile, { readonly: true });
    try {
      return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM stock_reservations').get()!.n;
    } finally {
      db.close();
    }
  };

  it('forgets an order’s holds once it is completed, cancelled or rejected, and never takes its stock again', async () => {
    const lamp = await addProduct(services, { stock: 100 });
    const fan = await addProduct(services, { stock: 100 });
    const made = [];
    for (let n = 0; n < 9; n++) {
      const placed = await placeOrder(services, { items: [{ productId: lamp.id, quantity: 1 }, { productId: fan.id, quantity: 2 }], ...CHECKOUT }, undefined, silentLog);
      made.push(await makeOrder(services, placed.order.orderId));
    }
    expect(holdCount()).toBe(18);
    const [completed, cancelled, live] = [made.slice(0, 3), made.slice(3, 6), made.slice(6)];
    for (const order of completed) {
      const processing = await moveOrder(services, order.orderId, 'processing', order.version);
      await moveOrder(services, order.orderId, 'completed', processing.version);
    }
    for (const order of cancelled) await applyCancellation(services, order, { by: 'customer' }, silentLog);
    expect(holdCount()).toBe(2 * live.length);

    const stock = async () => [(await services.products.get(lamp.id))?.stock, (await services.products.get(fan.id))?.stock];
    expect(await stock()).toEqual([94, 88]);
    // Redeliveries long after: the order's status, not a hold, keeps them from taking stock again.
    for (const order of [...completed, ...cancelled]) await makeOrder(services, order.orderId);
    expect(await stock()).toEqual([94, 88]);
    expect(holdCount()).toBe(2 * live.length);
  });

  it('keeps no hold for a rejected order, and a redelivery of it takes nothing', async () => {
    const { plenty, mixed } = await rejectedMixedOrder(services);
    expect(holdCount()).toBe(1);
    await makeOrder(services, mixed.orderId);
    expect((await services.products.get(plenty.id))?.stock).toBe(10);
    expect(holdCount()).toBe(1);
  });

  it('drops, on opening a file, the holds older versions kept for good', async () => {
    const db = new Database(services.config.databaseFile);
    const addOrder = db.prepare("INSERT INTO orders (order_id, status, created_at, version, doc) VALUES (?, ?, '2026-01-01', 1, '{}')");
    const addHold = db.prepare('INSERT INTO stock_reservations (order_id, product_id, quantity, state) VALUES (?, ?, ?, ?)');
    addOrder.run('old-completed', 'completed');
    addOrder.run('old-rejected', 'rejected');
    addOrder.run('old-pending', 'pending');
    addHold.run('old-completed', 'p1', 2, 'reserved');
    addHold.run('old-rejected', 'p1', 0, 'released');
    addHold.run('old-pending', 'p1', 1, 'reserved');
    db.close();
    new SqliteFile(services.config.databaseFile).close();
    const left = new Database(services.config.databaseFile, { readonly: true });
    expect(left.prepare('SELECT order_id FROM stock_reservations').all()).toEqual([{ order_id: 'old-pending' }]);
    left.close();
  });

});

describe('order listing', () => {
  let services: ReturnType<typeof tempServices>;
  beforeEach(() => {
    services = tempServices();
  });
  afterEach(() => services.dispose());

  it('pages newest first for the board and oldest first for workers, without gaps or repeats', async () => {
    const product = await addProduct(services, { stock: 100 });
    const placed: string[] = [];
    for (let n = 0; n < 7; n++) {
      placed.push((await placeOrder(services, { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT }, undefined, silentLog)).order.orderId);
    }
    const walk = async (oldestFirst: boolean) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await services.orders.list({ limit: 3, cursor, oldestFirst });
        seen.push(...page.items.map((order) => order.orderId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };
    const oldest = await walk(true);
    expect([...oldest].sort()).toEqual([...placed].sort());
    expect(await walk(false)).toEqual([...oldest].reverse());
  });
});
