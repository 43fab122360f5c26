import { readConfig, type Config } from './config.js';
import type { AuditLog, Clock, ContentWriter, ImageStore, OrderQueue, OrderStore, ProductStore } from './ports.js';

/** What every handler may use. Handlers never learn which adapters these are. */
export interface Services {
  config: Config;
  clock: Clock;
  products: ProductStore;
  orders: OrderStore;
  queue: OrderQueue;
  images: ImageStore;
  audit: AuditLog;
  /** AI help, chosen by the AI settings alone; off when none are set. */
  content: ContentWriter;
  close(): Promise<void>;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * The one place adapters are chosen. Each kind is imported only when chosen, so the embedded
 * runtime loads no cloud SDK and the Azure one loads no SQLite.
 */
export async function createServices(config: Config, clock: Clock = systemClock): Promise<Services> {
  if (config.azure) {
    const { createAzureServices } = await import('./adapters/azure/services.js');
    return createAzureServices(config, config.azure, clock);
  }
  const { createEmbeddedServices } = await import('./adapters/embedded/services.js');
  return createEmbeddedServices(config, clock);
}

let current: Promise<Services> | undefined;

/** Configuration is read once, on first use, and the services are reused across invocations. */
export function services(): Promise<Services> {
  current ??= createServices(readConfig());
  return current;
}

/** Lets the local host hand in the services it built, so handlers and the queue pump share them. */
export function useServices(built: Services): void {
  current = Promise.resolve(built);
}
