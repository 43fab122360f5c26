import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../src/config.js';
import { systemClock } from '../../src/composition.js';
import { createEmbeddedServices, type EmbeddedServices } from '../../src/adapters/embedded/services.js';
import type { Logger, Services } from '../../src/ports.js';
import { newProduct, type ProductDraft } from '../../src/domain/product.js';
import { newId } from '../../src/domain/ids.js';

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
