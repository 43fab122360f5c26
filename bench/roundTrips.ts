import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { MongoOrderStore } from '../functions/src/adapters/azure/mongoOrderStore.js';
import { MongoProductStore } from '../functions/src/adapters/azure/mongoProductStore.js';
import { createEmbeddedServices } from '../functions/src/adapters/embedded/services.js';
import { moveOrder } from '../functions/src/app/moveOrder.js';
import { makeOrder } from '../functions/src/app/makeline.js';
import { placeOrder } from '../functions/src/app/placeOrder.js';
import { systemClock } from '../functions/src/composition.js';
import type { Services } from '../functions/src/ports.js';
import { readConfig } from '../functions/src/config.js';
import { newId } from '../functions/src/domain/ids.js';
import type { StoredOrder } from '../functions/src/domain/order.js';
import { newProduct } from '../functions/src/domain/product.js';
import { newOrder } from '../functions/src/domain/pricing.js';
import { randomOrderNumber } from '../functions/src/domain/orderNumber.js';
import type { Logger } from '../functions/src/ports.js';
import { missingMongoServer, openMongoDatabase, startMongoServer } from '../functions/test/support/mongoServer.js';
import { atMost, printTable, type Row } from './table.js';
import { CHECKOUT, UNPAID } from '../functions/test/support/checkout.js';
import { MongoPaymentLedger } from '../functions/src/adapters/azure/mongoPaymentLedger.js';
import { DemoPaymentProvider } from '../functions/src/adapters/payments/demoProvider.js';

export const ADAPTERS = ['embedded SQLite', 'Cosmos DB for MongoDB'] as const;
export type Adapter = (typeof ADAPTERS)[number];

/** Calls one step of an order's life made: to the stores (round trips on Azure) and to the queue. */
export interface StepCalls {
  store: string[];
  queue: string[];
}

export interface OrderPathCalls {
  /** Placed and paid in the same call (the demo provider). */
  place: StepCalls;
  /** Placed without paying: stored awaiting payment, its stock held. */
  placeUnpaid: StepCalls;
  make: StepCalls;
  complete: StepCalls;
  /** Making an order stored before payments whose last item ran out after it was placed: rejected, the rest given back. */
  reject: StepCalls;
}

const quiet: Logger = { info() {}, warn() {}, error() {} };

/** The same object, noting "label.method" in `tally` for every method called on it. */
function counted<T extends object>(target: T, label: string, tally: string[]): T {
  return new Proxy(target, {
    get(object, key) {
      const value = Reflect.get(object, key, object) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        tally.push(`${label}.${String(key)}`);
        return (value as (...args: unknown[]) => unknown).apply(object, args);
      };
    },
  });
}

/**
 * Runs orders of `itemCount` items through the app's own order path (placeOrder, makeOrder,
 * moveOrder) and returns the calls each step made. For the embedded adapters those are calls on
 * the ports; for Cosmos DB for MongoDB, the commands the driver sent to the MongoDB-wire server at
 * `mongoUri` (as "collection.command"), each one a round trip on Azure. Queue calls are port
 * calls for both: one send is one Service Bus operation.
 */
export async function callsPerOrder(adapter: Adapter, itemCount: number, mongoUri?: string): Promise<OrderPathCalls> {
  const dir = mkdtempSync(join(tmpdir(), 'bestbuy-roundtrips-'));
  const embedded = createEmbeddedServices(readConfig({ DATA_DIR: dir }), systemClock);
  const queueLog: string[] = [];
  const queue = counted(embedded.queue, 'queue', queueLog);
  let storeLog: string[] = [];
  let services: Services;
  let closeMongo = async () => {};
  if (adapter === 'embedded SQLite') {
    const { products, orders, payments } = embedded;
    // The demo provider as one call: on Azure a provider is another service, not the store.
    services = { ...embedded, queue, products: counted(products, 'products', storeLog), orders: counted(orders, 'orders', storeLog), payments: counted(payments, 'payments', storeLog) };
  } else {
    if (!mongoUri) throw new Error('the MongoDB adapters are counted on a server: pass its connection string');
    const mongo = await openMongoDatabase(mongoUri);
    storeLog = mongo.commands;
    closeMongo = () => mongo.close();
    services = {
      ...embedded,
      queue,
      products: new MongoProductStore(mongo.db, systemClock),
      orders: new MongoOrderStore(mongo.db),
      payments: new DemoPaymentProvider(new MongoPaymentLedger(mongo.db), systemClock),
    };
  }
  const measure = async (work: () => Promise<unknown>): Promise<StepCalls> => {
    storeLog.splice(0);
    queueLog.splice(0);
    await work();
    return { store: storeLog.splice(0), queue: queueLog.splice(0) };
  };

  try {
    const products = Array.from({ length: itemCount }, (_, n) =>
      newProduct(newId(), { name: `Item ${n}`, description: '', priceCents: 100, stock: 100, tags: [] }, systemClock.now()),
    );
    for (const product of products) await services.products.create(product);
    const items = products.map((product) => ({ productId: product.id, quantity: 1 }));
    const place = async (): Promise<StoredOrder> => (await placeOrder(services, { items, ...CHECKOUT }, undefined, quiet)).order;

    let order!: StoredOrder;
    const placedUnpaid = await measure(() => placeOrder(services, { items, ...UNPAID }, undefined, quiet));
    const placed = await measure(async () => (order = await place()));
    const made = await measure(async () => (order = await makeOrder(services, order.orderId)));
    const completed = await measure(async () => {
      order = await moveOrder(services, order.orderId, 'processing', order.version);
      order = await moveOrder(services, order.orderId, 'completed', order.version);
    });

    // Only an order stored before payments reaches the makeline unreserved (a new one holds its stock from placing on).
    const doomed = newOrder(newId(), randomOrderNumber(), CHECKOUT, order.items, 'hash', systemClock.now());
    await services.orders.insertIfAbsent(doomed);
    const last = (await services.products.get(products.at(-1)!.id))!;
    await services.products.replace({ ...last, stock: 0, version: last.version + 1 }, last.version);
    const rejected = await measure(() => makeOrder(services, doomed.orderId));
    return { place: placed, placeUnpaid: placedUnpaid, make: made, complete: completed, reject: rejected };
  } finally {
    await closeMongo();
    await embedded.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Bench rows: calls per step for a 1-item and a 12-item order, per adapter; MongoDB's on FerretDB or MONGODB_URI. */
export async function roundTripRows(): Promise<Row[]> {
  const rows: Row[] = [];
  for (const adapter of ADAPTERS) {
    const measure = `order path calls, ${adapter} (1/12 items)`;
    const target = 'make: 3 at any size (was 3 + n = 15)';
    const missing = adapter === 'embedded SQLite' ? undefined : missingMongoServer();
    if (missing) {
      rows.push({ measure, result: 'not measured', target, margin: -1, how: missing });
      continue;
    }
    const server = adapter === 'embedded SQLite' ? undefined : await startMongoServer();
    try {
      const [small, large] = await Promise.all([callsPerOrder(adapter, 1, server?.uri), callsPerOrder(adapter, 12, server?.uri)]);
      const steps = (['place', 'placeUnpaid', 'make', 'complete', 'reject'] as const).map((step) => `${step === 'placeUnpaid' ? 'place unpaid' : step} ${small[step].store.length}/${large[step].store.length}`);
      const sends = small.place.queue.length + small.make.queue.length + small.complete.queue.length;
      const making = large.make.store.length;
      rows.push({
        measure,
        result: `${steps.join(', ')}; ${sends} queue send`,
        target,
        margin: small.make.store.length === making ? atMost(making, 3) : -1,
        how: adapter === 'embedded SQLite'
          ? 'port calls through counting proxies (the demo provider\'s charge as one): placeOrder paid in the call, placeOrder unpaid, makeOrder, moveOrder x2, makeOrder of a short order'
          : 'commands the driver sent (round trips) to FerretDB or MONGODB_URI, the demo provider\'s ledger included, same steps',
      });
    } finally {
      await server?.stop();
    }
  }
  return rows;
}

// `node dist-bench/bench/roundTrips.js` prints these rows alone, in a second.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  roundTripRows().then(printTable, (error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
