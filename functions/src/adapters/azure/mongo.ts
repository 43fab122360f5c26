import { MongoClient, type Db } from 'mongodb';
import { withThrottlingRetry } from './throttling.js';

/** True when the connection string sets its own pool size (the driver lets the code's options win otherwise). */
const namesPoolSize = (uri: string) => [...new URLSearchParams(uri.split('?')[1] ?? '').keys()].some((key) => key.toLowerCase() === 'maxpoolsize');

/**
 * One client per process, reused across invocations. Cosmos DB for MongoDB does not support
 * retryable writes. A pool of 20 unless the connection string says otherwise: the tests' FerretDB
 * gets 1 (support/ferretdb.ts says why).
 */
export async function connectMongo(uri: string, database: string): Promise<{ client: MongoClient; db: Db }> {
  const client = new MongoClient(uri, { retryWrites: false, appName: 'bestbuy-store', ...(namesPoolSize(uri) ? {} : { maxPoolSize: 20 }) });
  try {
    await client.connect();
    const db = client.db(database);
    await ensureIndexes(db);
    return { client, db };
  } catch (error) {
    // The next start builds a new client: this one must not keep its sockets and monitors open.
    await client.close().catch(() => undefined);
    throw error;
  }
}

interface StoreIndex {
  name: string;
  fields: readonly string[];
  unique?: boolean;
  /** A TTL index: documents go this long after they last changed. */
  expireAfterSeconds?: number;
}

/**
 * The indexes the store's queries sort and filter on, by collection: each the fields of one
 * ascending (compound) index. infra/main.bicep declares the same keys for its collections (a test
 * keeps them equal): ARM index lists are declarative, so a provision would drop any other index.
 */
export const STORE_INDEXES = {
  products: [
    { name: 'catalog_order', fields: ['nameKey', '_id'] },
    { name: 'by_tag', fields: ['tags'] },
    // Multikey: one entry per search key of each product; a catalog search is equalities on it.
    { name: 'search_keys', fields: ['searchKeys'] },
    { name: 'low_stock', fields: ['stock', 'nameKey', '_id'] },
  ],
  orders: [
    { name: 'by_created', fields: ['createdAt', '_id'] },
    { name: 'by_status_created', fields: ['status', 'createdAt', '_id'] },
    { name: 'by_owner_created', fields: ['ownerKey', 'createdAt', '_id'] },
    // Finds an order by its number. Not unique: Cosmos DB builds a unique index only on an empty
    // collection, so orderNumbers below keeps numbers unique instead.
    { name: 'by_number', fields: ['number'] },
    // The orders the outbox sweeper has work for (domain/payment.ts sweepDueAt); others lack the field.
    { name: 'sweep_due', fields: ['sweepAt'] },
  ],
  // The demo payment provider's charges and refunds, the idempotency key as _id.
  paymentLedger: [{ name: 'by_order', fields: ['orderId', 'at', '_id'] }],
  // A claimed order number as _id (always unique, and indexed with no index of ours), holding its orderId.
  orderNumbers: [],
  // One document, the count of orders per status (MongoOrderStore), read by _id.
  orderCounts: [],
  audit: [{ name: 'by_time', fields: ['at', '_id'] }],
  // Cosmos DB expires documents by a TTL index on _ts, its own last-modified time, and on no other
  // field (https://learn.microsoft.com/azure/cosmos-db/mongodb/time-to-live). A day covers the
  // longest window a limit may have. Plain MongoDB has no _ts: there the counters stay.
  rateCounters: [{ name: 'expiry', fields: ['_ts'], expireAfterSeconds: 86_400 }],
} as const satisfies Record<string, ReadonlyArray<StoreIndex>>;

/** What ensureIndexes needs of the driver's Db; a test hands in a fake of the same shape. */
export interface IndexedDb {
  collection(name: string): {
    listIndexes(): { toArray(): Promise<Array<{ key: Record<string, unknown> }>> };
    createIndex(key: Record<string, 1>, options: { name: string; unique: boolean; expireAfterSeconds?: number }): Promise<string>;
  };
}

/**
 * 238 NotImplemented: FerretDB, which the tests run on, has no TTL indexes. Only a TTL index is let
 * go for it (its documents then stay, as on any server without Cosmos DB's `_ts`); Cosmos DB and
 * MongoDB implement them, so there the index is made or the start fails.
 */
const NOT_IMPLEMENTED = 238;
/** 85 IndexOptionsConflict, 86 IndexKeySpecsConflict: an index with those keys or that name is there already. */
const INDEX_CONFLICT_CODES: ReadonlySet<unknown> = new Set([85, 86]);
/** listIndexes on a collection that does not exist yet (a fresh MongoDB; Bicep creates them on Azure). */
const NAMESPACE_NOT_FOUND = 26;

const codeOf = (error: unknown) => (typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined);

/** Same fields in the same order, all ascending: the index an ARM deployment makes from a key list. */
const sameKeys = (key: Record<string, unknown>, fields: readonly string[]) =>
  Object.keys(key).join() === fields.join() && Object.values(key).every((direction) => Number(direction) === 1);

/**
 * Creates only the indexes that are missing. One with the same keys counts whatever its name:
 * Bicep's collections come with ARM-named indexes, and MongoDB refuses the same keys under a
 * second name (error 85). A conflict while creating is accepted when another instance starting
 * at the same moment made the index; any other conflict (our name on other keys) stops the start.
 */
export async function ensureIndexes(db: IndexedDb): Promise<void> {
  for (const [name, wanted] of Object.entries(STORE_INDEXES) as Array<[string, readonly StoreIndex[]]>) {
    const collection = db.collection(name);
    const existingKeys = async () => {
      try {
        return (await withThrottlingRetry(() => collection.listIndexes().toArray())).map((index) => index.key);
      } catch (error) {
        if (codeOf(error) === NAMESPACE_NOT_FOUND) return [];
        throw error;
      }
    };
    const existing = await existingKeys();
    for (const index of wanted) {
      if (existing.some((key) => sameKeys(key, index.fields))) continue;
      try {
        await withThrottlingRetry(() => collection.createIndex(Object.fromEntries(index.fields.map((field) => [field, 1])), {
            name: index.name,
            unique: index.unique ?? false,
            ...(index.expireAfterSeconds === undefined ? {} : { expireAfterSeconds: index.expireAfterSeconds }),
          }));
      } catch (error) {
        if (index.expireAfterSeconds !== undefined && codeOf(error) === NOT_IMPLEMENTED) continue;
        if (!INDEX_CONFLICT_CODES.has(codeOf(error))) throw error;
        const now = await existingKeys();
        if (!now.some((key) => sameKeys(key, index.fields))) throw error;
      }
    }
  }
}

/** Duplicate key: an insert-if-absent found the document already there. */
export function isDuplicateKey(error: unknown): boolean {
  return codeOf(error) === 11000;
}
