import { join } from 'node:path';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { SqliteOrderStore } from '../../src/adapters/embedded/orderStore.js';
import { SqliteProductStore } from '../../src/adapters/embedded/productStore.js';
import { systemClock } from '../../src/composition.js';
import { connectMongo } from '../../src/adapters/azure/mongo.js';
import { MongoOrderStore } from '../../src/adapters/azure/mongoOrderStore.js';
import { MongoProductStore } from '../../src/adapters/azure/mongoProductStore.js';
import type { OrderStore, ProductStore } from '../../src/ports.js';
import { newId } from '../../src/domain/ids.js';
import { transition, type OrderItem } from '../../src/domain/order.js';
import { newOrder } from '../../src/domain/pricing.js';
import { randomOrderNumber } from '../../src/domain/orderNumber.js';
import { CHECKOUT } from './checkout.js';

/** Opens a running host's store file as a second process would, for `work` only. */
export async function inHostStore<T>(dataDir: string, work: (file: SqliteFile) => Promise<T>): Promise<T> {
  const file = new SqliteFile(join(dataDir, 'store.db'));
  try {
    return await work(file);
  } finally {
    file.close();
  }
}

/** Where a host keeps its store: its data folder, and its settings, which may put orders and products on a MongoDB server. */
export interface StoreLocation {
  dataDir: string;
  env?: Record<string, string>;
}

/** Opens the orders and products of a running host's store, as another instance would, for `work` only. */
async function inHostStores<T>({ dataDir, env = {} }: StoreLocation, work: (stores: { orders: OrderStore; products: ProductStore }) => Promise<T>): Promise<T> {
  if (env.STORE_ADAPTERS !== 'mongo') {
    return inHostStore(dataDir, (file) => work({ orders: new SqliteOrderStore(file), products: new SqliteProductStore(file, systemClock) }));
  }
  const { client, db } = await connectMongo(env.MONGODB_URI!, env.MONGODB_DATABASE!);
  try {
    return await work({ orders: new MongoOrderStore(db), products: new MongoProductStore(db, systemClock) });
  } finally {
    await client.close();
  }
}

/** A draft as an enrichment activity leaves it, written into the host's store file. */
export async function writeDraft(dataDir: string, productId: string, draft: { description?: string; imageUrl?: string }): Promise<void> {
  await inHostStore(dataDir, (file) => new SqliteProductStore(file, systemClock).saveDraft(productId, { ...draft, at: new Date().toISOString(), jobId: 'job-1' }));
}

/**
 * Stores a received order for one of `productId`, placed `secondsAgo`, in the host's store
 * without queueing it: an order whose send failed. Returns its id.
 */
export async function orderNeverSent(host: StoreLocation, productId: string, secondsAgo = 0): Promise<string> {
  const order = newOrder(newId(), randomOrderNumber(), CHECKOUT, [{ productId, name: 'Test Lamp', quantity: 1, unitPriceCents: 1999 }], 'hash', new Date(Date.now() - secondsAgo * 1000));
  await inHostStores(host, ({ orders }) => orders.insertIfAbsent(order));
  return order.orderId;
}

/**
 * Stores an order for these items as the makeline leaves one it rejected (its holds given back,
 * so none are written), in the host's store file. Returns its id.
 */
export async function rejectedOrder(dataDir: string, items: OrderItem[], reason: string): Promise<string> {
  const placed = newOrder(newId(), randomOrderNumber(), CHECKOUT, items, 'hash', new Date());
  await inHostStore(dataDir, (file) => new SqliteOrderStore(file).insertIfAbsent(transition(placed, 'rejected', new Date(), reason)));
  return placed.orderId;
}

/** Stores a pending order as versions before order numbers and addresses did: no number, no shipping. Returns its id. */
export async function orderFromBefore(dataDir: string, productId: string): Promise<string> {
  const { number: _none, shipping: _unknown, ...old } = newOrder(newId(), '', CHECKOUT, [{ productId, name: 'Test Lamp', quantity: 1, unitPriceCents: 1999 }], 'hash', new Date());
  const pending = transition({ ...old, customer: { name: 'Early Bird' } }, 'pending', new Date());
  await inHostStore(dataDir, (file) => new SqliteOrderStore(file).insertIfAbsent(pending));
  return pending.orderId;
}

/**
 * Writes the order as cancelled in the host's store and gives nothing back: what a cancel
 * killed between its status write and its release leaves. Returns the cancelled order.
 */
export async function cancelledStillHolding(host: StoreLocation, orderId: string) {
  return inHostStores(host, async ({ orders }) => {
    const order = await orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId} in the store`);
    const cancelled = transition(order, 'cancelled', new Date(), 'Cancelled at the customer’s request.');
    const result = await orders.replace(cancelled, order.version);
    if (result.outcome !== 'replaced') throw new Error(`order ${orderId} changed under the test: ${result.outcome}`);
    return cancelled;
  });
}
