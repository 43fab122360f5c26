import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCancellation } from '../../src/app/cancellation.js';
import { makeOrder } from '../../src/app/makeline.js';
import { moveOrder } from '../../src/app/moveOrder.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { transition } from '../../src/domain/order.js';
import { randomOrderNumber } from '../../src/domain/orderNumber.js';
import { newOrder } from '../../src/domain/pricing.js';
import { MongoOrderStore } from '../../src/adapters/azure/mongoOrderStore.js';
import { MongoProductStore } from '../../src/adapters/azure/mongoProductStore.js';
import { systemClock } from '../../src/composition.js';
import { outboxSweeper } from '../../src/functions/outboxSweeper.js';
import { settleStrandedHolds } from '../../src/app/stock.js';
import type { Logger, ProductStore } from '../../src/ports.js';
import { describeOnMongo } from '../support/mongoSuite.js';
import { openMongoDatabase } from '../support/mongoServer.js';
import { CHECKOUT } from '../support/checkout.js';
import { addProduct, receivedOrder, silentLog, tempServices } from '../support/services.js';

type Services = ReturnType<typeof tempServices>;

/** The services with the MongoDB adapters on a new database of `uri`, everything else embedded. */
async function mongoServices(uri: string): Promise<Services> {
  const mongo = await openMongoDatabase(uri);
  const embedded = tempServices();
  return {
    ...embedded,
    products: new MongoProductStore(mongo.db, systemClock),
    orders: new MongoOrderStore(mongo.db),
    async dispose() {
      await embedded.dispose();
      await mongo.close();
    },
  };
}

/** A log that keeps what the sweeper said. */
function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (message) => void lines.push(message), warn: (message) => void lines.push(message), error: (message) => void lines.push(message) };
}

const strandedHoldsSuite = (start: () => Promise<Services>) => {
  let services: Services;
  beforeEach(async () => {
    services = await start();
  });
  afterEach(() => services.dispose());

  const sweep = (log: Logger = silentLog) => outboxSweeper(services, log, { seconds: 60 });

  async function pendingOrder(quantity: number, stock = 10) {
    const product = await addProduct(services, { stock });
    const { order } = await placeOrder(services, { items: [{ productId: product.id, quantity }], ...CHECKOUT }, undefined, silentLog);
    const pending = await makeOrder(services, order.orderId);
    expect(pending.status).toBe('pending');
    const stockNow = async () => (await services.products.get(product.id))!.stock;
    return { product, order: pending, stockNow };
  }

  /** The same services, with one product store method replaced by `instead` (given the real one). */
  function withProducts<K extends 'releaseStock' | 'forgetHolds' | 'reserveStock'>(method: K, instead: (real: ProductStore[K]) => ProductStore[K]): Services {
    const real = services.products;
    const products: ProductStore = Object.create(real);
    products[method] = instead(real[method].bind(real) as ProductStore[K]);
    return { ...services, products };
  }

  /** The process dies after the order's final status is written and before its stock is settled. */
  const crashingOn = (method: 'releaseStock' | 'forgetHolds') =>
    withProducts(method, () => async () => {
      throw new Error('process killed');
    });

  it('gives a cancelled order’s stock back exactly once when the cancel died between its two writes', async () => {
    const { order, stockNow } = await pendingOrder(3);
    await expect(applyCancellation(crashingOn('releaseStock'), order, { by: 'customer' }, silentLog)).rejects.toThrow('process killed');
    expect((await services.orders.get(order.orderId))?.status).toBe('cancelled');
    expect(await stockNow()).toBe(7); // cancelled, and its 3 still held

    const log = recordingLog();
    await sweep(log);
    expect(await stockNow()).toBe(10);
    expect(log.lines).toContain('outboxSweeper: settled the stock of 1 final order(s) a crash had left holding it');

    const again = recordingLog();
    await sweep(again);
    expect(await stockNow()).toBe(10);
    expect(again.lines).toEqual([]);
    expect(await services.products.heldOrderIds()).toEqual([]);
  });

  it('forgets a completed order’s holds and keeps its stock sold, leaving live orders’ holds alone', async () => {
    const done = await pendingOrder(3);
    const processing = await moveOrder(services, done.order.orderId, 'processing', done.order.version);
    await expect(moveOrder(crashingOn('forgetHolds'), done.order.orderId, 'completed', processing.version)).rejects.toThrow('process killed');
    const live = await pendingOrder(2);
    // The makeline took stock for this one, then died before writing pending: the redelivery finishes it.
    const received = await addProduct(services, { stock: 10 });
    const { order: unmade } = await placeOrder(services, { items: [{ productId: received.id, quantity: 4 }], ...CHECKOUT }, undefined, silentLog);
    await services.products.reserveStock(unmade.orderId, unmade.items);
    expect((await services.products.heldOrderIds()).sort()).toEqual([done.order.orderId, live.order.orderId, unmade.orderId].sort());

    await sweep();
    expect((await services.products.heldOrderIds()).sort()).toEqual([live.order.orderId, unmade.orderId].sort());
    expect(await done.stockNow()).toBe(7);
    expect(await live.stockNow()).toBe(8);
    expect((await services.products.get(received.id))!.stock).toBe(6);

    // The holds left alone still work: the live order's cancel gives its 2 back, the redelivery takes nothing twice.
    await applyCancellation(services, live.order, { by: 'customer' }, silentLog);
    expect(await live.stockNow()).toBe(10);
    expect((await makeOrder(services, unmade.orderId)).status).toBe('pending');
    expect((await services.products.get(received.id))!.stock).toBe(6);
  });

  /** Orders holding one of a product's stock each: `pending` ones live, `cancelled` ones stranded. */
  async function holdingOrders(count: number, status: 'pending' | 'cancelled', name: (n: number) => string) {
    const product = await addProduct(services, { stock: 1000 });
    const items = [{ productId: product.id, name: 'Desk Fan', quantity: 1, unitPriceCents: 1500 }];
    for (let n = 0; n < count; n++) {
      const order = newOrder(name(n), randomOrderNumber(), CHECKOUT, items, 'hash', new Date());
      await services.orders.insertIfAbsent(transition(order, status, new Date()));
      await services.products.reserveStock(order.orderId, items);
    }
    return async () => (await services.products.get(product.id))!.stock;
  }

  it('reads a few hundred orders a run however many are live, and reaches a stranded one from another starting point', async () => {
    const liveStock = await holdingOrders(450, 'pending', (n) => `live-${String(n).padStart(3, '0')}`);
    const strandedStock = await holdingOrders(1, 'cancelled', () => 'stranded'); // last in id order
    const read: string[][] = [];
    const counting: Services = { ...services, orders: Object.assign(Object.create(services.orders), { getMany: (ids: string[]) => (read.push(ids), services.orders.getMany(ids)) }) };

    expect(await settleStrandedHolds(counting, silentLog, () => 0)).toBe(0); // the first 200 in id order: all live
    expect(await strandedStock()).toBe(999);
    expect(await settleStrandedHolds(counting, silentLog, () => 0.999)).toBe(1); // from the last one round to the start
    expect(await strandedStock()).toBe(1000);
    expect(read.map((ids) => ids.length)).toEqual([200, 200]);
    expect(await liveStock()).toBe(550);
  });

  it('settles a backlog of stranded orders a few hundred a run, so no run grows without bound', async () => {
    const stock = await holdingOrders(250, 'cancelled', (n) => `stranded-${String(n).padStart(3, '0')}`);
    expect(await settleStrandedHolds(services, silentLog, () => 0)).toBe(200);
    expect(await stock()).toBe(950);
    const second = recordingLog();
    await sweep(second);
    expect(second.lines).toEqual(['outboxSweeper: settled the stock of 50 final order(s) a crash had left holding it']);
    expect(await stock()).toBe(1000);
  });

  it('reports stock held for an order the store does not have, and leaves it held', async () => {
    const product = await addProduct(services, { stock: 10 });
    await services.products.reserveStock('order-nobody-placed', [{ productId: product.id, quantity: 2 }]);
    const log = recordingLog();
    await sweep(log);
    expect(log.lines).toEqual([expect.stringMatching(/stock held for 1 order\(s\) the store does not have.*order-nobody-placed/)]);
    expect((await services.products.get(product.id))!.stock).toBe(8);
    expect(await services.products.heldOrderIds()).toEqual(['order-nobody-placed']);
  });

  it('gives the stock back once when a sweep lands between a cancel’s status write and its release', async () => {
    const { order, stockNow } = await pendingOrder(3);
    const racing = withProducts('releaseStock', (release) => async (orderId, productIds) => {
      await sweep();
      expect(await stockNow()).toBe(10);
      await release(orderId, productIds);
    });
    await applyCancellation(racing, order, { by: 'customer' }, silentLog);
    expect(await stockNow()).toBe(10);
  });

  it('gives the stock back once when sweeps run alongside cancels of the same order', async () => {
    const { order, stockNow } = await pendingOrder(3);
    await Promise.all([
      sweep(),
      applyCancellation(services, order, { by: 'customer' }, silentLog),
      sweep(),
      applyCancellation(services, order, { by: 'customer' }, silentLog).catch(() => 'lost the race'),
      sweep(),
    ]);
    expect(await stockNow()).toBe(10);
  });

  it('leaves the makeline’s fresh holds alone, and gives a rejected order’s back once however the release and a sweep interleave', async () => {
    const lamp = await addProduct(services, { stock: 5 });
    const fan = await addProduct(services, { stock: 2 });
    const items = [{ productId: lamp.id, quantity: 2 }, { productId: fan.id, quantity: 2 }];
    const first = await receivedOrder(services, items);
    const order = await receivedOrder(services, items);
    await makeOrder(services, first.orderId); // takes the last fans
    // Between the reservation and the makeline's status write, and between that write and the release.
    const reserving = withProducts('reserveStock', (reserve) => async (orderId, items) => {
      const reservation = await reserve(orderId, items);
      await sweep();
      return reservation;
    });
    const racing = { ...reserving, products: Object.create(reserving.products) as ProductStore };
    const realRelease = reserving.products.releaseStock.bind(reserving.products);
    racing.products.releaseStock = async (orderId, productIds) => {
      await sweep();
      await realRelease(orderId, productIds);
    };
    expect((await makeOrder(racing, order.orderId)).status).toBe('rejected');
    expect((await services.products.get(lamp.id))!.stock).toBe(3);
    expect((await services.products.get(fan.id))!.stock).toBe(0);
    expect(await services.products.heldOrderIds()).toEqual([first.orderId]);
  });
};

describe('stock held by a final order after a crash, on the embedded store', () => strandedHoldsSuite(async () => tempServices()));
describeOnMongo('stock held by a final order after a crash, on the MongoDB stores', (server) => strandedHoldsSuite(() => mongoServices(server().uri)));
