import { MongoClient, type Db } from 'mongodb';
import { withThrottlingRetry } from './throttling.js';

/** One client per process, reused across invocations. Cosmos DB for MongoDB does not support retryable writes. */
export async function connectMongo(uri: string, database: string): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(uri, { retryWrites: false, maxPoolSize: 20, appName: 'bestbuy-store' });
  await client.connect();
  const db = client.db(database);
  await ensureIndexes(db);
  return { client, db };
}

/** The indexes the store's queries sort and filter on; creating an existing index is a no-op. */
async function ensureIndexes(db: Db): Promise<void> {
  const products = db.collection('products');
  const orders = db.collection('orders');
  await withThrottlingRetry(() => products.createIndex({ nameKey: 1, _id: 1 }, { name: 'catalog_order' }));
  await withThrottlingRetry(() => products.createIndex({ tags: 1 }, { name: 'by_tag' }));
  await withThrottlingRetry(() => orders.createIndex({ createdAt: 1, _id: 1 }, { name: 'by_created' }));
  await withThrottlingRetry(() => orders.createIndex({ status: 1, createdAt: 1, _id: 1 }, { name: 'by_status_created' }));
  await withThrottlingRetry(() => db.collection('audit').createIndex({ at: 1, _id: 1 }, { name: 'by_time' }));
}

/** Duplicate key: an insert-if-absent found the document already there. */
export function isDuplicateKey(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000;
}
