import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { peekDeadLetters, completeDeadLetter, toDeadLetter, type ReceivedLike } from '../../src/adapters/azure/deadLetters.js';
import { MongoProductStore } from '../../src/adapters/azure/mongoProductStore.js';
import { forgetHoldsUpdate, heldOrdersQuery, holdsQuery, orderListQuery, productListQuery, releaseOperations, reserveOperations, type ProductDocument } from '../../src/adapters/azure/mongoQueries.js';
import { throttledRetryAfterMs, withThrottlingRetry, type ThrottlingRetryPolicy } from '../../src/adapters/azure/throttling.js';
import { encodeCursor } from '../../src/adapters/cursor.js';
import { systemClock } from '../../src/composition.js';
import { newProduct } from '../../src/domain/product.js';
import { transition } from '../../src/domain/order.js';
import { MongoOrderStore } from '../../src/adapters/azure/mongoOrderStore.js';
import { newOrder } from '../../src/domain/pricing.js';
import { newId, orderIdForKey } from '../../src/domain/ids.js';
import { orderNumberFor } from '../../src/domain/orderNumber.js';
import type { PlaceOrderInput } from '../../src/domain/schemas.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { addProduct, silentLog, tempServices } from '../support/services.js';
import { CHECKOUT } from '../support/checkout.js';
import { describeOnMongo, failNextInsert } from '../support/mongoSuite.js';
import { openMongoDatabase, type MongoDatabase } from '../support/mongoServer.js';

describe('Cosmos DB throttling', () => {
  const throttled = (ms: number) => Object.assign(new Error(`Error=16500, RetryAfterMs=${ms}, Details='Request rate is large'`), { code: 16500 });

  it('recognizes 16500 and reads the wait the server asked for', () => {
    expect(throttledRetryAfterMs(throttled(120))).toBe(120);
    expect(throttledRetryAfterMs(Object.assign(new Error('TooManyRequests'), { code: 429 }))).toBe(0);
    expect(throttledRetryAfterMs(Object.assign(new Error('E11000 duplicate key'), { code: 11000 }))).toBeNull();
  });

  it('waits at least as asked, retries until it works, and passes other errors straight through', async () => {
    const waits: number[] = [];
    const policy: ThrottlingRetryPolicy = { maxAttempts: 5, baseDelayMs: 10, maxDelayMs: 1000, sleep: async (ms) => void waits.push(ms) };
    let calls = 0;
    const result = await withThrottlingRetry(async () => {
      calls++;
      if (calls < 3) throw throttled(200);
      return 'done';
    }, policy);
    expect(result).toBe('done');
    expect(waits).toHaveLength(2);
    expect(waits.every((ms) => ms >= 200)).toBe(true);

    await expect(withThrottlingRetry(async () => Promise.reject(new Error('boom')), policy)).rejects.toThrow('boom');
    // Still throttled after the last attempt: a busy store, 503 with the wait the server asked for.
    await expect(withThrottlingRetry(async () => Promise.reject(throttled(1500)), policy)).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'store_busy',
      retryAfterSeconds: 2,
      cause: { code: 16500 },
    });
  });
});

describe('MongoDB query shapes', () => {
  it('searches by equalities on the search keys, one per word and tag, and continues after the cursor', () => {
    const listed = productListQuery({ q: 'Desk a.b', tag: 'home', limit: 10, cursor: encodeCursor(['lamp', 'p1']) });
    expect(listed).not.toBe('nothing');
    const { filter, sort } = listed as Exclude<typeof listed, 'nothing'>;
    expect(sort).toEqual({ nameKey: 1, _id: 1 });
    expect(filter).toEqual({
      $and: [
        { searchKeys: 'desk' },
        { searchKeys: 'a' },
        { searchKeys: 'b' },
        { searchKeys: '#home' },
        { $or: [{ nameKey: { $gt: 'lamp' } }, { nameKey: 'lamp', _id: { $gt: 'p1' } }] },
      ],
    });
    // Nothing a server would have to evaluate per document: no pattern, no case folding.
    expect(JSON.stringify(filter)).not.toMatch(/\$regex|\$where|\$expr|\$text/);
    expect(productListQuery({ q: '%', limit: 10 })).toBe('nothing');
  });

  it('pages orders newest first by default and oldest first for workers', () => {
    const cursor = encodeCursor(['2026-01-01T00:00:00.000Z', 'o1']);
    expect(orderListQuery({ limit: 5, cursor })).toEqual({
      filter: { $and: [{ $or: [{ createdAt: { $lt: '2026-01-01T00:00:00.000Z' } }, { createdAt: '2026-01-01T00:00:00.000Z', _id: { $lt: 'o1' } }] }] },
      sort: { createdAt: -1, _id: -1 },
    });
    expect(orderListQuery({ status: 'pending', limit: 5, oldestFirst: true }).sort).toEqual({ createdAt: 1, _id: 1 });
  });

  it('reserves each item with a guarded decrement and releases exactly what was held, forgetting the hold', () => {
    const items = [{ productId: 'p1', quantity: 2 }, { productId: 'p2', quantity: 1 }];
    expect(reserveOperations('o1', items, 'now')).toEqual([
      { updateOne: { filter: { _id: 'p1', stock: { $gte: 2 }, 'holds.o1': { $exists: false } }, update: { $inc: { stock: -2, version: 1 }, $set: { 'holds.o1': 2, updatedAt: 'now' } } } },
      { updateOne: { filter: { _id: 'p2', stock: { $gte: 1 }, 'holds.o1': { $exists: false } }, update: { $inc: { stock: -1, version: 1 }, $set: { 'holds.o1': 1, updatedAt: 'now' } } } },
    ]);
    expect(holdsQuery('o1', ['p1', 'p2'])).toEqual({ filter: { _id: { $in: ['p1', 'p2'] } }, options: { projection: { 'holds.o1': 1 } } });
    expect(releaseOperations('o1', new Map([['p1', 2], ['p2', 0]]), 'now')).toEqual([
      { updateOne: { filter: { _id: 'p1', 'holds.o1': 2 }, update: { $inc: { stock: 2, version: 1 }, $set: { updatedAt: 'now' }, $unset: { 'holds.o1': '' } } } },
      { updateOne: { filter: { _id: 'p2', 'holds.o1': 0 }, update: { $unset: { 'holds.o1': '' } } } },
    ]);
    expect(forgetHoldsUpdate('o1', ['p1'])).toEqual({ filter: { _id: { $in: ['p1'] }, 'holds.o1': { $exists: true } }, update: { $unset: { 'holds.o1': '' } } });
    expect(heldOrdersQuery()).toEqual({ filter: { holds: { $exists: true } }, options: { projection: { holds: 1 } } });
  });
});

describeOnMongo('MongoDB stores on a MongoDB-wire server', (server) => {
  let mongo: MongoDatabase;
  beforeEach(async () => {
    mongo = await openMongoDatabase(server().uri);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await mongo.close();
  });
  const stored = (collection: string) => mongo.db.collection<{ _id: string } & Record<string, unknown>>(collection).find().toArray();

  describe('the product store', () => {
    it('gives the products older versions wrote their search keys and a time added when it opens, and only those', async () => {
      const store = new MongoProductStore(mongo.db, systemClock);
      const products = mongo.db.collection<ProductDocument>('products');
      const legacy = (id: string, name: string): ProductDocument => ({ _id: id, nameKey: name.toLowerCase(), name, description: 'From before.', priceCents: 100, imageUrl: '', tags: ['old'], stock: 1, version: 1, updatedAt: new Date().toISOString() });
      await products.insertOne(legacy('legacy-1', 'Gramophone'));
      await new Promise((resolve) => setTimeout(resolve, 5));
      await products.insertOne(legacy('legacy-2', 'Telegraph'));
      expect((await store.list({ q: 'gramophone', limit: 5 })).total).toBe(0);
      expect(await store.fileUnindexedProducts()).toBe(2);
      expect((await store.list({ q: 'gramo', limit: 5 })).items.map((product) => product.id)).toEqual(['legacy-1']);
      expect((await store.list({ q: 'before', tag: 'old', limit: 5 })).total).toBe(2);
      const gramophone = await products.findOne({ _id: 'legacy-1' });
      expect(gramophone!.createdAt).toBe(gramophone!.updatedAt);
      expect((await store.list({ tag: 'old', sort: 'newest', limit: 5 })).items.map((product) => product.id)).toEqual(['legacy-2', 'legacy-1']);
      expect(await store.fileUnindexedProducts()).toBe(0);
    });
  });

  describe('the order store', () => {
    const order = (number: string) => newOrder(newId(), number, CHECKOUT, [{ productId: 'lamp', name: 'Lamp', quantity: 1, unitPriceCents: 100 }], 'hash', new Date());
    const claimOf = async (number: string) => (await stored('orderNumbers')).find((claim) => claim._id === number);

    it('tells a number another order holds from the same order inserted again', async () => {
      const store = new MongoOrderStore(mongo.db);
      const first = order('BB-234567');
      expect(await store.insertIfAbsent(first)).toEqual({ inserted: true, order: first });
      const clash = order('BB-234567');
      expect(await store.insertIfAbsent(clash)).toBe('number_taken');
      expect(await store.get(clash.orderId)).toBeNull();
      expect(await store.insertIfAbsent(first)).toEqual({ inserted: false, order: first });
      expect((await stored('orders')).filter((each) => each.number === 'BB-234567')).toHaveLength(1);
      expect(await claimOf('BB-234567')).toEqual({ _id: 'BB-234567', orderId: first.orderId });
    });

    it('inserts an order whose number it claimed before a crash, and keeps the number from another order meanwhile', async () => {
      const store = new MongoOrderStore(mongo.db);
      const interrupted = order('BB-345678');
      failNextInsert('orders');
      await expect(store.insertIfAbsent(interrupted)).rejects.toThrow('connection reset');
      expect(await store.get(interrupted.orderId)).toBeNull();
      expect(await claimOf('BB-345678')).toEqual({ _id: 'BB-345678', orderId: interrupted.orderId });

      expect(await store.insertIfAbsent(order('BB-345678'))).toBe('number_taken');
      expect(await store.insertIfAbsent(interrupted)).toEqual({ inserted: true, order: interrupted });
      expect(await store.get(interrupted.orderId)).toEqual(interrupted);
    });

    it('reads many orders with one find by _id', async () => {
      const store = new MongoOrderStore(mongo.db);
      const orders = [order('BB-456789'), order('BB-567890')];
      for (const each of orders) await store.insertIfAbsent(each);
      mongo.commands.splice(0);
      expect(await store.getMany(orders.map((each) => each.orderId))).toHaveLength(2);
      expect(mongo.commands.splice(0)).toEqual(['orders.find']);
    });

    it('counts orders by status with one read however many there are, recounting once for a deployment from before the counts', async () => {
      const store = new MongoOrderStore(mongo.db);
      const placed = Array.from({ length: 30 }, (_, index) => order(`BB-${String(600000 + index)}`));
      for (const each of placed) await store.insertIfAbsent(each);
      // No counts yet (as after an upgrade): the first overview counts every order, and keeps it.
      await mongo.db.collection('orderCounts').deleteMany({});
      mongo.commands.splice(0);
      expect(await store.countByStatus()).toMatchObject({ received: 30, pending: 0 });
      expect(mongo.commands.splice(0)).toEqual(['orderCounts.find', 'orders.aggregate', 'orderCounts.insert']);
      // From then on every write moves them, and reading them is one point read.
      await store.replace(transition(placed[0]!, 'pending', new Date()), 1);
      await store.insertIfAbsent(order('BB-700000'));
      mongo.commands.splice(0);
      expect(await store.countByStatus()).toMatchObject({ received: 30, pending: 1 });
      expect(mongo.commands.splice(0)).toEqual(['orderCounts.find']);
    });

    it('finds an order by its number with an equality the number index serves', () => {
      expect(orderListQuery({ number: 'BB-234567', status: 'pending', limit: 5 }).filter).toEqual({ $and: [{ status: 'pending' }, { number: 'BB-234567' }] });
    });
  });

  describe('placing orders on the MongoDB order store', () => {
    let services: ReturnType<typeof tempServices>;
    let input: PlaceOrderInput;
    beforeEach(async () => {
      services = { ...tempServices(), orders: new MongoOrderStore(mongo.db) };
      input = { items: [{ productId: (await addProduct(services)).id, quantity: 1 }], ...CHECKOUT };
    });
    afterEach(async () => services.dispose());

    it('moves to the next number when another order holds the first one', async () => {
      const orderId = orderIdForKey('checkout-clash');
      const holder = newOrder(newId(), orderNumberFor(orderId, 0), CHECKOUT, [{ productId: 'lamp', name: 'Lamp', quantity: 1, unitPriceCents: 100 }], 'hash', new Date());
      await services.orders.insertIfAbsent(holder);
      const { order } = await placeOrder(services, input, 'checkout-clash', silentLog);
      expect(order).toMatchObject({ orderId, number: orderNumberFor(orderId, 1) });
      expect(await services.orders.get(holder.orderId)).toMatchObject({ number: holder.number });
    });

    it('places the order with the same number when the request is retried after a crash between claiming the number and storing the order', async () => {
      failNextInsert('orders');
      await expect(placeOrder(services, input, 'checkout-crash', silentLog)).rejects.toThrow('connection reset');

      const orderId = orderIdForKey('checkout-crash');
      const { order, created } = await placeOrder(services, input, 'checkout-crash', silentLog);
      expect(created).toBe(true);
      expect(order).toMatchObject({ orderId, number: orderNumberFor(orderId, 0), status: 'received' });
      expect(await stored('orders')).toHaveLength(1);
      expect(await stored('orderNumbers')).toEqual([{ _id: order.number, orderId }]);
    });
  });

  describe('the product store', () => {
    it('reserves a whole order in one ordered bulk write, and reads once more only when something was not taken', async () => {
      const store = new MongoProductStore(mongo.db, systemClock);
      const ids = ['bulk-1', 'bulk-2', 'bulk-3'];
      for (const id of ids) await store.create(newProduct(id, { name: id, description: '', priceCents: 100, stock: 2, tags: [] }, new Date()));
      const order = ids.map((productId) => ({ productId, quantity: 2 }));
      mongo.commands.splice(0);
      expect(await store.reserveStock('o-bulk', order)).toEqual({ outcome: 'reserved' });
      expect(mongo.commands.splice(0)).toEqual(['products.update']);
      expect(await store.reserveStock('o-bulk', order)).toEqual({ outcome: 'reserved' });
      expect(mongo.commands.splice(0)).toEqual(['products.update', 'products.find']);
      expect(await store.reserveStock('o-late', order)).toEqual({ outcome: 'insufficient', productId: 'bulk-1' });
      await store.releaseStock('o-bulk', ids);
      expect(mongo.commands.splice(0)).toEqual(['products.update', 'products.find', 'products.find', 'products.update']);
    });

    it('keeps a product’s document the same size however many orders have come and gone', async () => {
      const store = new MongoProductStore(mongo.db, systemClock);
      await store.create(newProduct('popular', { name: 'Popular', description: '', priceCents: 100, stock: 1000, tags: [] }, new Date()));
      const popular = async () => (await stored('products')).find((doc) => doc._id === 'popular');
      const sizeOf = async () => JSON.stringify(await popular()).length;
      const live = [{ productId: 'popular', quantity: 1 }];
      const cycle = async (n: number) => {
        await store.reserveStock(`kept-${n}`, live);
        await store.forgetHolds(`kept-${n}`, ['popular']);
        await store.reserveStock(`given-${n}`, live);
        await store.releaseStock(`given-${n}`, ['popular']);
      };
      await cycle(0);
      const size = await sizeOf();
      for (let n = 1; n <= 50; n++) await cycle(n);
      expect(await sizeOf()).toBeLessThanOrEqual(size + 4); // the stock and version may gain a digit
      expect(await popular()).toMatchObject({ stock: 949, holds: {} });
      // The empty map left behind names no order, and finding the held orders is one query.
      mongo.commands.splice(0);
      expect((await store.heldOrderIds()).filter((id) => /^(kept|given)-/.test(id))).toEqual([]);
      expect(mongo.commands.splice(0)).toEqual(['products.find']);
    });
  });
});

describe('Service Bus dead letters', () => {
  const message = (sequence: number): ReceivedLike => ({
    sequenceNumber: { toString: () => String(sequence) },
    messageId: `m${sequence}`,
    body: { orderId: `o${sequence}` },
    deadLetterReason: 'MaxDeliveryCountExceeded',
    deliveryCount: 10,
    enqueuedTimeUtc: new Date('2026-01-01T00:00:00Z'),
  });

  it('shows a dead letter with its body as text', () => {
    expect(toDeadLetter(message(7))).toMatchObject({ sequenceNumber: '7', messageId: 'm7', body: '{"orderId":"o7"}', reason: 'MaxDeliveryCountExceeded', deliveryCount: 10 });
  });

  it('finds a message by sequence number across batches, settles only it, and gives the rest back', async () => {
    const batches = [[message(1), message(2)], [message(3)], []];
    const completed: string[] = [];
    const abandoned: string[] = [];
    const receiver = {
      receiveMessages: async () => batches.shift() ?? [],
      completeMessage: async (m: ReceivedLike) => void completed.push(String(m.messageId)),
      abandonMessage: async (m: ReceivedLike) => void abandoned.push(String(m.messageId)),
    };
    const acted: string[] = [];
    expect(await completeDeadLetter(receiver, '3', async (m) => void acted.push(String(m.messageId)))).toMatchObject({ messageId: 'm3' });
    expect(acted).toEqual(['m3']);
    expect(completed).toEqual(['m3']);
    expect(abandoned.sort()).toEqual(['m1', 'm2']);
    expect(await completeDeadLetter(receiver, '9', async () => {})).toBeNull();
  });

  it('peeks a page from just after the cursor, with 64-bit sequence numbers the SDK accepts', async () => {
    const asked: Array<{ max: number; from?: string; isLong?: boolean }> = [];
    const peeker = {
      async peekMessages(max: number, options: { fromSequenceNumber?: { toString(): string; __isLong__?: boolean } } = {}) {
        const from = options.fromSequenceNumber;
        asked.push({ max, ...(from && { from: from.toString(), isLong: from.__isLong__ }) });
        return [message(41), message(43), message(45)].slice(0, max);
      },
    };
    const first = await peekDeadLetters(peeker, { limit: 2 });
    expect(first.items.map((letter) => letter.messageId)).toEqual(['m41', 'm43']);
    expect(first.nextCursor).toBe(encodeCursor(['43']));
    // Past 2^53, where a JavaScript number would already be wrong.
    await peekDeadLetters(peeker, { limit: 2, cursor: encodeCursor(['9007199254740993']) });
    expect(asked).toEqual([{ max: 3 }, { max: 3, from: '9007199254740994', isLong: true }]);
    await expect(peekDeadLetters(peeker, { limit: 2, cursor: encodeCursor(['-1']) })).rejects.toMatchObject({ code: 'invalid_cursor' });
  });
});
