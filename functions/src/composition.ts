import { withNoticeKick } from './app/orderNotices.js';
import { seedCatalogOnStart } from './app/seedCatalog.js';
import { readConfig, type Config } from './config.js';
import type { Clock, Logger, Services, ServicesSource } from './ports.js';
import type { EmbeddedOptions, EmbeddedServices } from './adapters/embedded/services.js';

export const systemClock: Clock = { now: () => new Date() };

/**
 * Where emails sent after a request report, once the request's own log may be gone: the console,
 * which the Functions host collects too.
 */
const mailLog: Logger = {
  info: (message, ...details) => console.log(`[orderNotices] ${message}`, ...details),
  warn: (message, ...details) => console.warn(`[orderNotices] ${message}`, ...details),
  error: (message, ...details) => console.error(`[orderNotices] ${message}`, ...details),
};

/**
 * The one place adapters are chosen. Each kind is imported only when chosen, so the embedded
 * runtime loads no cloud SDK and the Azure one loads no SQLite. Every runtime's order store
 * starts the email sender after a write that leaves an email due (withNoticeKick).
 */
export async function createServices(config: Config, clock: Clock = systemClock): Promise<Services> {
  if (config.azure) {
    const { createAzureServices } = await import('./adapters/azure/services.js');
    return withNoticeKick(await withPaymentProvider(await createAzureServices(config, config.azure, clock)), mailLog);
  }
  return createLocalServices(config, clock);
}

/**
 * Who takes payments (PAYMENT_PROVIDER). Each store comes with the demo provider over its own
 * ledger; Stripe replaces it here, its SDK loaded only then.
 */
async function withPaymentProvider<S extends Services>(services: S): Promise<S> {
  const { payments } = services.config;
  if (payments.provider === 'demo') return services;
  const { StripePayments } = await import('./adapters/stripe/stripePayments.js');
  return { ...services, payments: new StripePayments(payments.stripe) };
}

/**
 * The local host's services: the embedded adapters, and with STORE_ADAPTERS=mongo the MongoDB
 * stores the Azure runtime uses in place of SQLite's products, orders, audit and rate counts, so the local
 * host runs the order path on Cosmos DB's code. The queue, pictures and enrichment jobs stay in
 * the SQLite file.
 */
export async function createLocalServices(config: Config, clock: Clock = systemClock, options: EmbeddedOptions = {}): Promise<EmbeddedServices> {
  const { createEmbeddedServices } = await import('./adapters/embedded/services.js');
  const embedded = createEmbeddedServices(config, clock, options);
  if (!config.mongo) return withNoticeKick(await withPaymentProvider(embedded), mailLog);
  try {
    const { connectMongoStores } = await import('./adapters/azure/services.js');
    const stores = await connectMongoStores(config.mongo, clock);
    return withNoticeKick(await withPaymentProvider({
      ...embedded,
      ...stores,
      async close() {
        await stores.close();
        await embedded.close();
      },
    }), mailLog);
  } catch (error) {
    await embedded.close();
    throw error;
  }
}

/**
 * One start shared by everyone who asks: concurrent callers wait for the same attempt, a finished
 * one is kept for the life of the process, and a failed one is forgotten so the next call starts
 * again. A cold start that meets a passing failure (throttling, a token not issued yet, a Key Vault
 * reference not resolved yet) must not leave the instance failing every invocation until recycled.
 * The attempt reports to the log of the caller that began it.
 */
export class SharedStart<T> {
  private current: Promise<T> | undefined;

  constructor(private readonly start: (log: Logger) => Promise<T>) {}

  get(log: Logger): Promise<T> {
    if (this.current) return this.current;
    const attempt = (async () => this.start(log))();
    this.current = attempt;
    attempt.catch(() => {
      if (this.current === attempt) this.current = undefined;
    });
    return attempt;
  }
}

/**
 * The Function App's services: built on first use, then reused across invocations (`log` is the
 * invocation's). Its registration (index.ts) makes one and hands it to every trigger.
 * Configuration is read at each attempt: a failed start may have been a setting not there yet.
 * Seeding runs once per process, after the services are built, and never fails the start.
 */
export function servicesOnFirstUse(): ServicesSource {
  const shared = new SharedStart(async (log) => {
    const built = await createServices(readConfig());
    await seedCatalogOnStart(built, log);
    return built;
  });
  return (log) => shared.get(log);
}
