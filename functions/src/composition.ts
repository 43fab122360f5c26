import { readConfig, type Config } from './config.js';
import { SqliteFile } from './adapters/embedded/database.js';
import { SqliteProductStore } from './adapters/embedded/productStore.js';
import { SqliteOrderStore } from './adapters/embedded/orderStore.js';
import { EmbeddedQueue } from './adapters/embedded/queue.js';
import type { Clock, OrderQueue, OrderStore, ProductStore } from './ports.js';

export const ORDERS_QUEUE = 'orders';

/** What every handler may use. Handlers never learn which adapters these are. */
export interface Services {
  config: Config;
  clock: Clock;
  products: ProductStore;
  orders: OrderStore;
  queue: OrderQueue;
}

/** The embedded runtime also exposes its queue's consumer side, which the local host drives. */
export interface EmbeddedServices extends Services {
  embeddedQueue: EmbeddedQueue;
  close(): void;
}

const systemClock: Clock = { now: () => new Date() };

export function createEmbeddedServices(config: Config, clock: Clock = systemClock): EmbeddedServices {
  const file = new SqliteFile(config.databaseFile);
  const embeddedQueue = new EmbeddedQueue(file, { queueName: ORDERS_QUEUE, ...config.queue });
  return {
    config,
    clock,
    products: new SqliteProductStore(file, clock),
    orders: new SqliteOrderStore(file),
    queue: embeddedQueue,
    embeddedQueue,
    close: () => file.close(),
  };
}

let current: Promise<Services> | undefined;

/** The one place adapters are chosen: configuration is read once, on first use. */
export function services(): Promise<Services> {
  current ??= Promise.resolve().then(() => createEmbeddedServices(readConfig()));
  return current;
}

/** Lets the local host hand in the services it built, so handlers and the queue pump share them. */
export function useServices(built: Services): void {
  current = Promise.resolve(built);
}
