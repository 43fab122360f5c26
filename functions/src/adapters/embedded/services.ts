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
import { readsInAThread, readsOnTheFile } from './catalogReads.js';
import { EmbeddedQueue } from './queue.js';
import { SqliteRateCounter } from './rateCounter.js';
import { MemoryRateCounter } from '../memoryRateCounter.js';
import { createMailer } from '../mail/mailer.js';
import { SqlitePaymentLedger } from './paymentLedger.js';
import { DemoPaymentProvider } from '../payments/demoProvider.js';

/** The embedded runtime also exposes its queue's consumer side and its enrichment jobs, which the local host drives. */
export interface EmbeddedServices extends Services {
  embeddedQueue: EmbeddedQueue;
  enrichmentJobs: SqliteEnrichmentJobs;
}

export interface EmbeddedOptions {
  /** Every write is redone from the queue if lost (see SqliteFileOptions): the queue worker's. */
  redoneFromQueue?: boolean;
  /** Catalog pages the cache lacks are read on a thread of their own (catalogReads.ts): the local host's. */
  catalogThread?: boolean;
}

/**
 * Everything in one SQLite file: catalog, orders, images and the queue. The local host opens it
 * with `catalogThread`, its queue worker with `redoneFromQueue`.
 */
export function createEmbeddedServices(config: Config, clock: Clock, options: EmbeddedOptions = {}): EmbeddedServices {
  const { catalogThread, ...fileOptions } = options;
  const file = new SqliteFile(config.databaseFile, { maxBytes: config.databaseMaxBytes, ...fileOptions });
  const catalogReads = catalogThread ? readsInAThread(config.databaseFile) : readsOnTheFile(file);
  const embeddedQueue = new EmbeddedQueue(file, { queueName: ORDERS_QUEUE, ...config.queue });
  return {
    config,
    clock,
    products: new SqliteProductStore(file, clock, config.catalogCacheBytes, catalogReads),
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
    mail: createMailer(config.mail),
    // The demo provider; composition.ts puts another in its place when PAYMENT_PROVIDER asks for one.
    payments: new DemoPaymentProvider(new SqlitePaymentLedger(file), clock),
    close: async () => {
      await catalogReads.close();
      file.close();
    },
  };
}
