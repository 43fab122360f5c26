import { join } from 'node:path';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { SqliteOrderStore } from '../../src/adapters/embedded/orderStore.js';
import { SqliteProductStore } from '../../src/adapters/embedded/productStore.js';
import { systemClock } from '../../src/composition.js';
import { connectMongo } from '../../src/adapters/azure/mongo.js';
import { MongoOrderStore } from '../../src/adapters/azure/mongoOrderStore.js';
import { MongoProductStore } from '../../src/adapters/azure/mongoProductStore.js';
import type { LedgerEntry, OrderStore, PaymentLedger, ProductStore } from '../../src/ports.js';
import { SqlitePaymentLedger } from '../../src/adapters/embedded/paymentLedger.js';
import { MongoPaymentLedger } from '../../src/adapters/azure/mongoPaymentLedger.js';
import { DemoPaymentProvider } from '../../src/adapters/payments/demoProvider.js';
import { attemptStarted } from '../../src/domain/paymentSteps.js';
import { paymentKey } from '../../src/domain/payment.js';
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
async function inHostStores<T>({ dataDir, env = {} }: StoreLocation, work: (stores: { orders: OrderStore; products: ProductStore; ledger: PaymentLedger }) => Promise<T>): Promise<T> {
  if (env.STORE_ADAPTERS !== 'mongo') {
    return inHostStore(dataDir, (file) => work({ orders: new SqliteOrderStore(file), products: new SqliteProductStore(file, systemClock), ledger: new SqlitePaymentLedger(file) }));
  }
  const { client, db } = await connectMongo(env.MONGODB_URI!, env.MONGODB_DATABASE!);
  try {
    return await work({ orders: new MongoOrderStore(db), products: new MongoProductStore(db, systemClock), ledger: new MongoPaymentLedger(db) });
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

/** Every charge and refund the demo provider recorded for the order, oldest first. */
export async function ledgerOf(host: StoreLocation, orderId: string): Promise<LedgerEntry[]> {
  return inHostStores(host, ({ ledger }) => ledger.forOrder(orderId));
}

/** How many successful charges the demo provider recorded for each of these orders, in one opening of the store. */
export async function paidChargesOf(host: StoreLocation, orderIds: readonly string[]): Promise<Map<string, number>> {
  return inHostStores(host, async ({ ledger }) => {
    const counts = new Map<string, number>();
    for (const orderId of orderIds) {
      counts.set(orderId, (await ledger.forOrder(orderId)).filter((entry) => entry.kind === 'charge' && entry.state === 'paid').length);
    }
    return counts;
  });
}

/**
 * Leaves an unpaid order as a host killed in the middle of paying for it does: its next attempt
 * written as processing and, if `charged`, the success card charged under that attempt's key,
 * but nothing written after. Returns the key.
 */
export async function killedMidPayment(host: StoreLocation, orderId: string, charged: boolean): Promise<string> {
  return inHostStores(host, async ({ orders, ledger }) => {
    const order = await orders.get(orderId);
    if (!order) throw new Error(`no order ${orderId} in the store`);
    const started = attemptStarted(order, 'demo', new Date(), { brand: 'visa', last4: '4242' });
    const result = await orders.replace(started, order.version);
    if (result.outcome !== 'replaced') throw new Error(`order ${orderId} changed under the test: ${result.outcome}`);
    const key = paymentKey(orderId, started.payment!.attempts);
    const card = { number: '4242424242424242', expiry: '12/39', cvc: '123' };
    if (charged) await new DemoPaymentProvider(ledger, systemClock).charge({ idempotencyKey: key, orderId, amountCents: order.totalCents, currency: 'USD', card });
    return key;
  });
}
