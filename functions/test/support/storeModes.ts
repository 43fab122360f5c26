import { afterAll, describe } from 'vitest';
import { MongoClient } from 'mongodb';
import { describeOnMongo } from './mongoSuite.js';

let suites = 0;

/** How a suite's hosts keep their store. */
export interface StoreMode {
  /** The settings that choose the store, for the hosts the suite starts; call it in hooks and tests only. */
  settings(): Record<string, string>;
  /**
   * The share of a load test's orders to send: 1 on SQLite. FerretDB runs one command at a time
   * (support/mongoServer.ts says why), about 120 ms of makeline per order on the shared 2-core
   * machine, so the MongoDB suites send a tenth of the orders against a tenth of the stock: the
   * same race, five times as many orders as units, in about the same time.
   */
  scale: number;
}

/**
 * Declares the suite twice: on the local host as `npm start` runs it (everything in SQLite), and
 * with STORE_ADAPTERS=mongo on a MongoDB-wire server (FerretDB, or MONGODB_URI), the adapters the
 * Function App runs on Cosmos DB.
 */
export function describeOnEachStore(name: string, body: (store: StoreMode) => void): void {
  describe(`${name} (SQLite)`, () => body({ settings: () => ({}), scale: 1 }));
  describeOnMongo(`${name} (MongoDB stores)`, (server) => {
    const database = `bestbuy_host_${process.pid}_${Date.now()}_${suites++}`;
    // Runs after the suite's own afterAll hooks (they run last registered first): the hosts are gone by then.
    afterAll(async () => {
      const client = new MongoClient(server().uri);
      await client.db(database).dropDatabase().finally(() => client.close());
    });
    body({ settings: () => ({ STORE_ADAPTERS: 'mongo', MONGODB_URI: server().uri, MONGODB_DATABASE: database }), scale: 0.1 });
  });
}
