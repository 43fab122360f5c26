import Database from 'better-sqlite3';
import { join } from 'node:path';
import { readConfig } from '../functions/src/config.js';
import { systemClock } from '../functions/src/composition.js';
import { createEmbeddedServices } from '../functions/src/adapters/embedded/services.js';
import { newId } from '../functions/src/domain/ids.js';
import { newOrder } from '../functions/src/domain/pricing.js';
import { newProduct } from '../functions/src/domain/product.js';
import { startListening } from './processes.js';
import { freshDataDir, HOST_SCRIPT, quietHostEnv } from './setup.js';
import { randomOrderNumber } from '../functions/src/domain/orderNumber.js';
import { CHECKOUT } from '../functions/test/support/checkout.js';

export interface PipelineResult {
  orders: number;
  seconds: number;
  ordersPerSecond: number;
}

/** Stores `count` orders as received, each with its queue message, as intake would have left them. */
export async function storeReceivedOrders(dataDir: string, count: number): Promise<void> {
  const services = createEmbeddedServices(readConfig({ DATA_DIR: dataDir }), systemClock);
  const now = new Date();
  const product = newProduct(newId(), { name: 'Bench Widget', description: '', priceCents: 999, stock: 1_000_000, tags: [] }, now);
  await services.products.create(product);
  const item = { productId: product.id, name: product.name, quantity: 1, unitPriceCents: product.priceCents };
  for (let start = 0; start < count; start += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, count - start) }, async () => {
        // Random numbers clash now and then among 10,000 (a few in a hundred runs): draw again, as placeOrder does.
        const draft = () => newOrder(newId(), randomOrderNumber(), CHECKOUT, [item], 'bench', now);
        let stored = await services.orders.insertIfAbsent(draft());
        while (stored === 'number_taken') stored = await services.orders.insertIfAbsent(draft());
        await services.queue.send({ orderId: stored.order.orderId }, stored.order.orderId);
      }),
    );
  }
  await services.close();
}

/** The makeline draining a full queue: from host start until every order is pending. */
export async function pipeline(count: number): Promise<PipelineResult> {
  const dataDir = freshDataDir();
  await storeReceivedOrders(dataDir, count);
  const db = new Database(join(dataDir, 'store.db'), { readonly: true });
  const pendingCount = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM orders WHERE status = 'pending'");
  const host = await startListening(HOST_SCRIPT, quietHostEnv(dataDir));
  const started = performance.now();
  try {
    while (pendingCount.get()!.n < count) await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = (performance.now() - started) / 1000;
    return { orders: count, seconds, ordersPerSecond: count / seconds };
  } finally {
    db.close();
    await host.stop();
  }
}
