import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config.js';
import { systemClock } from '../../src/composition.js';
import { createEmbeddedServices, type EmbeddedServices } from '../../src/adapters/embedded/services.js';
import type { Logger, Services } from '../../src/ports.js';
import { newProduct, type ProductDraft } from '../../src/domain/product.js';
import { newId } from '../../src/domain/ids.js';
import type { StoredOrder } from '../../src/domain/order.js';
import { randomOrderNumber } from '../../src/domain/orderNumber.js';
import { newOrder } from '../../src/domain/pricing.js';
import { CHECKOUT } from './checkout.js';

/** Embedded services over a real SQLite file in a fresh temp folder. */
export function tempServices(env: Record<string, string> = {}): EmbeddedServices & { dispose(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'bestbuy-unit-'));
  const services = createEmbeddedServices(readConfig({ DATA_DIR: dir, ...env }), systemClock);
  return {
    ...services,
    async dispose() {
      await services.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const silentLog: Logger = { info() {}, warn() {}, error() {} };

export async function addProduct(services: EmbeddedServices, draft: Partial<ProductDraft> = {}) {
  const product = newProduct(newId(), { name: 'Desk Fan', description: 'Moves air.', priceCents: 1500, stock: 10, tags: ['home'], ...draft }, services.clock.now());
  await services.products.create(product);
  return product;
}

/**
 * The same services with some methods of one port replaced, the rest the real ones: how a test
 * stages a race or a failure (another writer first, a queue that is down) on a real store.
 */
export function withPort<S extends Services, K extends 'products' | 'orders' | 'queue' | 'images'>(services: S, port: K, methods: Partial<S[K]>): S {
  return { ...services, [port]: Object.assign(Object.create(services[port]) as S[K], methods) };
}

/**
 * Stores an order as orders were stored before payments: received, waiting for the makeline, and
 * holding no stock yet. How a test reaches the makeline's own reservation and its rejections.
 */
export async function receivedOrder(services: Services, items: ReadonlyArray<{ productId: string; quantity: number }>): Promise<StoredOrder> {
  const products = new Map((await services.products.getMany(items.map((item) => item.productId))).map((product) => [product.id, product]));
  const priced = items.map(({ productId, quantity }) => ({ productId, name: products.get(productId)!.name, quantity, unitPriceCents: products.get(productId)!.priceCents }));
  const order = newOrder(newId(), randomOrderNumber(), CHECKOUT, priced, 'hash', services.clock.now());
  await services.orders.insertIfAbsent(order);
  return order;
}
