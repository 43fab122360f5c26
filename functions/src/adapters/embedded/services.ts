import type { Config } from '../../config.js';
import type { Clock, Services } from '../../ports.js';
import { ORDERS_QUEUE } from '../../triggers.js';
import { SqliteAuditLog } from './auditLog.js';
import { createContentWriter } from '../ai/contentWriter.js';
import { imageDecoder } from '../images/decoder.js';
import { SqliteFile } from './database.js';
import { SqliteEnrichmentJobs } from './enrichmentJobs.js';
import { SqliteImageStore } from './imageStore.js';
import { SqliteOrderStore } from './orderStore.js';
import { SqliteProductStore } from './productStore.js';
import { EmbeddedQueue } from './queue.js';
import { SqliteRateCounter } from './rateCounter.js';
import { MemoryRateCounter } from '../memoryRateCounter.js';
import { SqlitePaymentLedger } from './paymentLedger.js';
import { DemoPaymentProvider } from '../payments/demoProvider.js';

/** The embedded runtime also exposes its queue's consumer side and its enrichment jobs, which the local host drives. */
export interface EmbeddedServices extends Services {
  embeddedQueue: EmbeddedQueue;
  enrichmentJobs: SqliteEnrichmentJobs;
}

/**
 * Everything in one SQLite file: catalog, orders, images and the queue. The local host's queue
 * worker opens it with `redoneFromQueue` (see SqliteFileOptions).
 */
export function createEmbeddedServices(config: Config, clock: Clock, options: { redoneFromQueue?: boolean } = {}): EmbeddedServices {
  const file = new SqliteFile(config.databaseFile, { maxBytes: config.databaseMaxBytes, ...options });
  const embeddedQueue = new EmbeddedQueue(file, { queueName: ORDERS_QUEUE, ...config.queue });
  return {
    config,
    clock,
    products: new SqliteProductStore(file, clock, config.catalogCacheBytes),
    orders: new SqliteOrderStore(file),
    images: new SqliteImageStore(file),
    imageDecoder,
    audit: new SqliteAuditLog(file),
    sharedRateCounter: new SqliteRateCounter(file, clock),
    instanceRateCounter: new MemoryRateCounter(clock),
    queue: embeddedQueue,
    embeddedQueue,
    enrichmentJobs: new SqliteEnrichmentJobs(file),
    content: createContentWriter(config.ai),
    // The demo provider; composition.ts puts another in its place when PAYMENT_PROVIDER asks for one.
    payments: new DemoPaymentProvider(new SqlitePaymentLedger(file), clock),
    close: async () => file.close(),
  };
}
