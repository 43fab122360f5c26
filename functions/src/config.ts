import { z } from 'zod';
import { TimerSchedule } from './domain/schedule.js';
import { MAX_RESTOCK, MAX_STOCK } from './domain/product.js';
import { parseRateLimit, type RateLimit, type RateLimitName } from './domain/rateLimit.js';
import { MAX_ORDER_LINES, MAX_UNITS_PER_LINE } from './domain/schemas.js';
import { PAYMENT_PROVIDERS, type PaymentProviderName } from './domain/payment.js';

const wholeNumber = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

const rate = wholeNumber(0, 0, 360_000);

/**
 * The embedded catalog's page cache, in MB: a few thousand pages of 24 products, more than a small
 * shop's catalog and its common searches, while a crawl of distinct pages cannot grow the host past it.
 */
export const DEFAULT_CATALOG_CACHE_MB = 16;

/**
 * Timer schedules Azure runs (infra sets the same values): sparse, so an idle store's timers run
 * about 47,600 times a month rather than 800,000 (docs/deploy.md, What it costs). The outbox sweeps every
 * minute, so a lost send is re-sent 30–90 s after the order; the virtual actors catch up every 30 minutes.
 */
export const DEFAULT_SCHEDULES = {
  OUTBOX_SWEEP_SCHEDULE: '0 * * * * *',
  VIRTUAL_ACTORS_SCHEDULE: '0 */30 * * * *',
} as const;
export type ScheduleSetting = keyof typeof DEFAULT_SCHEDULES;

const schedule = (setting: ScheduleSetting) =>
  z
    .string()
    .trim()
    .default(DEFAULT_SCHEDULES[setting])
    .transform((expression, ctx) => {
      try {
        return TimerSchedule.parse(expression);
      } catch (error) {
        ctx.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    });

/**
 * What one client may send (domain/rateLimit.ts), as "count/window": a small shop's customer
 * places an order or two a visit and searches a few times a minute; more is a script.
 */
export const DEFAULT_RATE_LIMITS: Record<RateLimitName, string> = {
  orders: '5/10m',
  cancels: '10/10m',
  claims: '10/10m',
  payments: '10/10m',
  searches: '60/1m',
};

const rateLimit = (name: RateLimitName) =>
  z
    .string()
    .default(DEFAULT_RATE_LIMITS[name])
    .transform((text, ctx) => parseRateLimit(text) ?? (ctx.addIssue({ code: 'custom', message: 'must be a count per window, such as 5/10m (s, m or h; at most 24h)' }), z.NEVER));

/** A number from min to max, decimals allowed. */
const decimal = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+(\.\d+)?$/, 'must be a number, such as 15 or 0.1')
    .transform(Number)
    .pipe(z.number().min(min).max(max))
    .default(fallback);

/** An HTTP header name, lower-case; empty for none. */
const headerName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9-]*$/, 'must be an HTTP header name, such as x-azure-socketip')
  .default('');

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** Comma-separated hostnames, compared lower-case; empty means none. */
const hostList = z
  .string()
  .default('')
  .transform((text) => text.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean))
  .refine((hosts) => hosts.every((host) => HOSTNAME.test(host)), {
    message: 'must be hostnames separated by commas, such as cdn.example.com (no scheme, port or path)',
  });

/** Every setting the app reads, with its default; docs/settings.md's table mirrors this. */
const optionalText = z.string().trim().min(1).optional();

const settingsSchema = z.object({
  STORE_ADAPTERS: z.enum(['embedded', 'mongo', 'azure']).default('embedded'),
  MONGODB_URI: optionalText,
  MONGODB_DATABASE: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name').default('bestbuy'),
  // The same names the Service Bus trigger reads: a connection string, or a namespace for identity.
  ServiceBusConnection: optionalText,
  ServiceBusConnection__fullyQualifiedNamespace: optionalText,
  ImagesStorage: optionalText,
  ImagesStorage__blobServiceUri: z.url({ protocol: /^https?$/ }).optional(),
  IMAGES_CONTAINER: z.string().trim().regex(/^[a-z0-9-]{3,63}$/, 'must be a blob container name').default('product-images'),
  DATA_DIR: z.string().trim().min(1).default('data'),
  DATA_MAX_MB: wholeNumber(0, 0, 1024 * 1024),
  CATALOG_CACHE_MB: wholeNumber(DEFAULT_CATALOG_CACHE_MB, 1, 4096),
  QUEUE_LOCK_DURATION_SECONDS: wholeNumber(60, 1, 300),
  QUEUE_MAX_DELIVERY_COUNT: wholeNumber(10, 1, 2000),
  QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS: wholeNumber(600, 20, 7 * 24 * 3600),
  OUTBOX_RESEND_AFTER_SECONDS: wholeNumber(30, 1, 24 * 3600),
  VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: rate,
  VIRTUAL_WORKER_ORDERS_PER_HOUR: rate,
  LOW_STOCK_THRESHOLD: wholeNumber(5, 1, MAX_STOCK),
  RESTOCK_QUANTITY: wholeNumber(20, 1, MAX_RESTOCK),
  // Read by the Functions host too, as %NAME% in the timer triggers (definitions.ts).
  OUTBOX_SWEEP_SCHEDULE: schedule('OUTBOX_SWEEP_SCHEDULE'),
  VIRTUAL_ACTORS_SCHEDULE: schedule('VIRTUAL_ACTORS_SCHEDULE'),
  LOCAL_HOST_PORT: wholeNumber(7071, 0, 65535),
  SWA_PORT: wholeNumber(4280, 1, 65535),
  LOCAL_REQUEST_TIMEOUT_SECONDS: wholeNumber(60, 1, 3600),
  LOCAL_MAX_CONNECTIONS: wholeNumber(1024, 1, 100_000),
  LOCAL_MAX_CONNECTIONS_PER_SOURCE: wholeNumber(512, 1, 100_000),
  RATE_LIMITS: z.enum(['on', 'off']).default('on'),
  RATE_LIMIT_ORDERS: rateLimit('orders'),
  RATE_LIMIT_CANCELS: rateLimit('cancels'),
  RATE_LIMIT_CLAIMS: rateLimit('claims'),
  RATE_LIMIT_PAYMENTS: rateLimit('payments'),
  RATE_LIMIT_SEARCHES: rateLimit('searches'),
  CLIENT_ADDRESS_HEADER: headerName,
  MAX_UNITS_PER_LINE: wholeNumber(10, 1, MAX_UNITS_PER_LINE),
  MAX_ORDER_LINES: wholeNumber(20, 1, MAX_ORDER_LINES),
  PAYMENT_PROVIDER: z.enum(PAYMENT_PROVIDERS).default('demo'),
  // Minutes an unpaid order holds its stock; decimals so that tests can wait seconds (0.1 is 6 s).
  HOLD_MINUTES: decimal(15, 0.01, 7 * 24 * 60),
  VIRTUAL_CUSTOMER_DECLINE_RATE: decimal(0.1, 0, 1),
  SEED_CATALOG: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.enum(['info', 'warn', 'error']).default('info'),
  ENRICHMENT_ENABLED: z.enum(['true', 'false']).default('false'),
  IMAGE_URL_HOSTS: hostList,
  // AI help (issue #5). Taken as text here and checked by aiConfig(): a bad AI setting turns AI off
  // with a reason, and never stops the store from starting.
  AZURE_OPENAI_ENDPOINT: optionalText,
  AZURE_OPENAI_CHAT_DEPLOYMENT: optionalText,
  AZURE_OPENAI_IMAGE_DEPLOYMENT: optionalText,
  AZURE_OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: optionalText,
  OPENAI_API_KEY: optionalText,
  OPENAI_CHAT_MODEL: optionalText,
  OPENAI_IMAGE_MODEL: optionalText,
  AI_TIMEOUT_MS: optionalText,
});

/**
 * Time budget of one AI request, retries included. Static Web Apps ends every API request after
 * 45 s (https://learn.microsoft.com/azure/static-web-apps/apis-overview#api-constraints), and the
 * admin page's AI calls go through it: 40 s leaves the handler time to store and answer.
 */
export const DEFAULT_AI_TIMEOUT_MS = 40_000;

const aiSettingsSchema = z.object({
  AZURE_OPENAI_ENDPOINT: z.url({ protocol: /^https$/, error: 'must be an https URL' }).optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).optional(),
  AI_TIMEOUT_MS: wholeNumber(DEFAULT_AI_TIMEOUT_MS, 100, 225_000),
});

/** Either a connection string or, preferred in Azure, an endpoint reached with a managed identity. */
export type Connection = { connectionString: string } | { endpoint: string };

export interface AzureConfig {
  mongo: { uri: string; database: string };
  serviceBus: Connection;
  images: Connection & { container: string };
}

/** Every setting name the app reads; the registration test checks they reach every place that sets them. */
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as ReadonlyArray<keyof typeof settingsSchema.shape>;

/**
 * Settings that mean something only on a laptop, so Azure never sets them. In Azure the queue's
 * lockDuration and maxDeliveryCount are Service Bus queue properties. The duplicate detection
 * window is one too, and Azure sets the same value for the app as well: the outbox sweeper
 * re-sends only within it (see Config.outbox).
 */
export const LOCAL_ONLY_SETTINGS: ReadonlySet<string> = new Set([
  'DATA_DIR', // folder of the embedded SQLite file
  'DATA_MAX_MB', // how large that file may grow
  'CATALOG_CACHE_MB', // the SQLite catalog's page cache; the Cosmos DB store keeps none
  'QUEUE_LOCK_DURATION_SECONDS',
  'QUEUE_MAX_DELIVERY_COUNT',
  'LOCAL_HOST_PORT', // the local host (npm start, npm run host)
  'SWA_PORT', // the Static Web Apps CLI under npm start
  // The local host's limits on slow clients; in Azure the Functions host and its front end have their own.
  'LOCAL_REQUEST_TIMEOUT_SECONDS',
  'LOCAL_MAX_CONNECTIONS',
  'LOCAL_MAX_CONNECTIONS_PER_SOURCE',
  'LOG_LEVEL', // the local host's console
  // A local OpenAI-compatible model server is a laptop thing; Azure uses Azure OpenAI.
  'OPENAI_BASE_URL',
  'OPENAI_API_KEY',
  'OPENAI_CHAT_MODEL',
  'OPENAI_IMAGE_MODEL',
  // In Azure the app reaches Azure OpenAI with its managed identity (the account's keys are off);
  // a key is for a laptop pointed at an account that allows keys. Never put one in infra/.
  'AZURE_OPENAI_API_KEY',
]);

/** A chat or image model: its deployment (Azure) or model name, or why there is none. */
export type AiModel = { name: string } | { missing: string };

export interface AiEndpointConfig {
  provider: 'azure-openai' | 'openai-compatible';
  /** Azure OpenAI: the resource endpoint. OpenAI-compatible: the base URL, e.g. http://127.0.0.1:11434/v1. */
  url: string;
  /** Azure OpenAI without a key uses the managed identity (DefaultAzureCredential). */
  apiKey?: string;
  chat: AiModel;
  image: AiModel;
  /** Budget of one AI request, retries included. */
  timeoutMs: number;
}

/** Chosen by settings alone, whichever adapters the store uses. */
export type AiConfig = { provider: 'off'; reason: string } | AiEndpointConfig;

export interface Config {
  /** mongo: the embedded adapters, with the MongoDB ones the Azure runtime uses for products, orders, audit and the shared rate counts. */
  adapters: 'embedded' | 'mongo' | 'azure';
  /** Present exactly when adapters is 'azure'. */
  azure?: AzureConfig;
  /** Present exactly when adapters is 'mongo'. */
  mongo?: AzureConfig['mongo'];
  databaseFile: string;
  /** Largest the embedded SQLite file may grow; null for as large as the disk allows. */
  databaseMaxBytes: number | null;
  /** Most the embedded catalog's cached pages and counts may take (CATALOG_CACHE_MB), least recently used out first. */
  catalogCacheBytes: number;
  queue: { lockDurationMs: number; maxDeliveryCount: number; duplicateDetectionWindowMs: number };
  /**
   * The sweeper re-sends an order still `received` once it is `resendAfterMs` old, and stops at
   * `resendUntilMs`, half the duplicate detection window: within it a re-send of an order that is
   * already queued is dropped by the queue, so the sweeper can never make a second message for
   * one order. An order older than that and still received is stuck: a human looks at it.
   */
  outbox: { resendAfterMs: number; resendUntilMs: number };
  virtualCustomerOrdersPerHour: number;
  /** The share of the virtual customer's payments made with the decline card, so the board shows failed ones. */
  virtualCustomerDeclineRate: number;
  virtualWorkerOrdersPerHour: number;
  /**
   * Who takes payments (PAYMENT_PROVIDER): the demo provider (Stripe's test cards, no money) or
   * Stripe; and how long an unpaid order holds its stock (HOLD_MINUTES), in ms.
   */
  payments: { provider: PaymentProviderName; holdMs: number };
  /**
   * A product with fewer than `threshold` in stock is low: the overview lists it and, while the
   * virtual customer shops, the virtual supplier adds `quantity` to it; so does the overview's Restock.
   */
  lowStock: { threshold: number; restockQuantity: number };
  /** Each timer's schedule, by the setting its trigger names. */
  schedules: Record<ScheduleSetting, TimerSchedule>;
  ai: AiConfig;
  /** Whether a start that finds the catalog empty fills it with the demo products. */
  seedCatalog: boolean;
  /**
   * What one client may send of each limited request; null when RATE_LIMITS is off (the bench and
   * load tests), which leaves the same pipeline counting nothing.
   */
  rateLimits: Record<RateLimitName, RateLimit> | null;
  /**
   * The request header the edge in front writes the client's address into (CLIENT_ADDRESS_HEADER,
   * set on Azure, see docs/architecture.md); null to count the socket's address (the local host).
   */
  clientAddressHeader: string | null;
  /** The most one order may hold: units of one product, and lines (distinct products). */
  orderCaps: { maxUnitsPerLine: number; maxLines: number };
  /** Hosts whose https pictures a product may show besides the store's own (IMAGE_URL_HOSTS). */
  imageUrlHosts: readonly string[];
  /**
   * Read by the local host and npm start only: ports (0 picks a free one), the console's level,
   * how long a request may take (60 s lets a 2 MB picture through at 35 kB/s), and how many
   * connections are served at once (1024: twice the 500 buyers the concurrency test sends at
   * once, and a bound on the sockets and memory that idle or slow clients can hold).
   */
  local: {
    port: number;
    swaPort: number;
    logLevel: 'info' | 'warn' | 'error';
    requestTimeoutMs: number;
    maxConnections: number;
    /** Connections one remote address may hold at once, below maxConnections so one client cannot take them all. */
    maxConnectionsPerSource: number;
  };
}

export class ConfigError extends Error {
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once; names every missing or malformed setting in one error. */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    SETTING_NAMES.filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  );
  const parsed = settingsSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const s = parsed.data;
  const outbox = { resendAfterMs: s.OUTBOX_RESEND_AFTER_SECONDS * 1000, resendUntilMs: (s.QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS * 1000) / 2 };
  if (outbox.resendAfterMs >= outbox.resendUntilMs) {
    throw new ConfigError([
      `OUTBOX_RESEND_AFTER_SECONDS: must be under half of QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS (${outbox.resendUntilMs / 1000}), or the outbox never re-sends`,
    ]);
  }
  const schedules = { OUTBOX_SWEEP_SCHEDULE: s.OUTBOX_SWEEP_SCHEDULE, VIRTUAL_ACTORS_SCHEDULE: s.VIRTUAL_ACTORS_SCHEDULE };
  checkSweepsReachEveryOrder(schedules.OUTBOX_SWEEP_SCHEDULE, outbox);
  return {
    adapters: s.STORE_ADAPTERS,
    ...(s.STORE_ADAPTERS === 'azure' ? { azure: azureConfig(s) } : {}),
    ...(s.STORE_ADAPTERS === 'mongo' ? { mongo: mongoConfig(s) } : {}),
    databaseFile: `${s.DATA_DIR}/store.db`,
    databaseMaxBytes: s.DATA_MAX_MB > 0 ? s.DATA_MAX_MB * 1024 * 1024 : null,
    catalogCacheBytes: s.CATALOG_CACHE_MB * 1024 * 1024,
    queue: {
      lockDurationMs: s.QUEUE_LOCK_DURATION_SECONDS * 1000,
      maxDeliveryCount: s.QUEUE_MAX_DELIVERY_COUNT,
      duplicateDetectionWindowMs: s.QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS * 1000,
    },
    outbox,
    virtualCustomerOrdersPerHour: s.VIRTUAL_CUSTOMER_ORDERS_PER_HOUR,
    virtualCustomerDeclineRate: s.VIRTUAL_CUSTOMER_DECLINE_RATE,
    payments: { provider: s.PAYMENT_PROVIDER, holdMs: Math.round(s.HOLD_MINUTES * 60_000) },
    virtualWorkerOrdersPerHour: s.VIRTUAL_WORKER_ORDERS_PER_HOUR,
    lowStock: { threshold: s.LOW_STOCK_THRESHOLD, restockQuantity: s.RESTOCK_QUANTITY },
    schedules,
    ai: aiConfig(s),
    seedCatalog: s.SEED_CATALOG === 'true',
    imageUrlHosts: s.IMAGE_URL_HOSTS,
    rateLimits:
      s.RATE_LIMITS === 'on'
        ? { orders: s.RATE_LIMIT_ORDERS, cancels: s.RATE_LIMIT_CANCELS, claims: s.RATE_LIMIT_CLAIMS, payments: s.RATE_LIMIT_PAYMENTS, searches: s.RATE_LIMIT_SEARCHES }
        : null,
    clientAddressHeader: s.CLIENT_ADDRESS_HEADER || null,
    orderCaps: { maxUnitsPerLine: s.MAX_UNITS_PER_LINE, maxLines: s.MAX_ORDER_LINES },
    local: {
      port: s.LOCAL_HOST_PORT,
      swaPort: s.SWA_PORT,
      logLevel: s.LOG_LEVEL,
      requestTimeoutMs: s.LOCAL_REQUEST_TIMEOUT_SECONDS * 1000,
      maxConnections: s.LOCAL_MAX_CONNECTIONS,
      maxConnectionsPerSource: Math.min(s.LOCAL_MAX_CONNECTIONS_PER_SOURCE, s.LOCAL_MAX_CONNECTIONS),
    },
  };
}

type Settings = z.infer<typeof settingsSchema>;

/**
 * How far ahead the sweeps are scanned: a day finds any gap of an hourly or daily pattern in a few
 * milliseconds of cold start; a week (weekday-only schedules) cost about 40 ms on every cold start.
 */
const SCAN_AHEAD_MS = 24 * 3600 * 1000;

/**
 * An order is in the sweeper's range for resendUntil − resendAfter; a longer pause between
 * sweeps (over the coming day) could let a lost send age out of it unseen, left for a human.
 */
function checkSweepsReachEveryOrder(sweeps: TimerSchedule, outbox: Config['outbox']): void {
  const rangeSeconds = (outbox.resendUntilMs - outbox.resendAfterMs) / 1000;
  const now = new Date();
  const gap = sweeps.firstGapLongerThan(rangeSeconds, now, new Date(now.getTime() + SCAN_AHEAD_MS));
  if (!gap) return;
  throw new ConfigError([
    `OUTBOX_SWEEP_SCHEDULE: "${sweeps.expression}" does not sweep from ${gap.from.toISOString()} to ${gap.to.toISOString()}, longer than the ${rangeSeconds} s an order stays in the outbox's range (from OUTBOX_RESEND_AFTER_SECONDS to half of QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS), so a lost send could miss every sweep`,
  ]);
}

function connection(connectionString: string | undefined, endpoint: string | undefined): Connection | undefined {
  if (endpoint) return { endpoint };
  if (connectionString) return { connectionString };
  return undefined;
}

/** App Service and Functions leave a Key Vault reference's own text in the setting when they cannot resolve it. */
const KEY_VAULT_REFERENCE = '@Microsoft.KeyVault(';

const unresolvedReference = (name: string, reference: string) =>
  `${name}: the platform did not resolve the Key Vault reference ${reference}. Check that the identity named by the ` +
  "Function App's keyVaultReferenceIdentity has the Key Vault Secrets User role on that vault, and that the secret " +
  "exists (the Azure portal shows the reference's status beside the app setting); once fixed, any change to " +
  "the app's configuration makes the platform fetch it at once";

const mongoProblems = (s: Settings) => [
  ...(s.MONGODB_URI ? [] : [`MONGODB_URI: required when STORE_ADAPTERS is ${s.STORE_ADAPTERS}`]),
  ...(s.MONGODB_URI?.startsWith(KEY_VAULT_REFERENCE) ? [unresolvedReference('MONGODB_URI', s.MONGODB_URI)] : []),
];

function mongoConfig(s: Settings): AzureConfig['mongo'] {
  const problems = mongoProblems(s);
  if (problems.length > 0 || !s.MONGODB_URI) throw new ConfigError(problems);
  return { uri: s.MONGODB_URI, database: s.MONGODB_DATABASE };
}

/** The Azure adapters need all three services; every missing one is named at once. */
function azureConfig(s: Settings): AzureConfig {
  const serviceBus = connection(s.ServiceBusConnection, s.ServiceBusConnection__fullyQualifiedNamespace);
  const images = connection(s.ImagesStorage, s.ImagesStorage__blobServiceUri);
  const problems = [
    ...mongoProblems(s),
    ...(serviceBus ? [] : ['ServiceBusConnection__fullyQualifiedNamespace (or ServiceBusConnection): required when STORE_ADAPTERS is azure']),
    ...(images ? [] : ['ImagesStorage__blobServiceUri (or ImagesStorage): required when STORE_ADAPTERS is azure']),
  ];
  if (problems.length > 0 || !s.MONGODB_URI || !serviceBus || !images) throw new ConfigError(problems);
  return {
    mongo: { uri: s.MONGODB_URI, database: s.MONGODB_DATABASE },
    serviceBus,
    images: { ...images, container: s.IMAGES_CONTAINER },
  };
}

const AI_SETTING_NAMES = [
  'AZURE_OPENAI_ENDPOINT',
  'AZURE_OPENAI_CHAT_DEPLOYMENT',
  'AZURE_OPENAI_IMAGE_DEPLOYMENT',
  'AZURE_OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'OPENAI_API_KEY',
  'OPENAI_CHAT_MODEL',
  'OPENAI_IMAGE_MODEL',
  'AI_TIMEOUT_MS',
] as const;
type AiSettings = Pick<Settings, (typeof AI_SETTING_NAMES)[number]>;

/** The AI settings alone, read as the store reads them: the smoke check probes the same service. */
export function readAiConfig(env: NodeJS.ProcessEnv = process.env): AiConfig {
  return aiConfig(Object.fromEntries(AI_SETTING_NAMES.map((name) => [name, env[name] || undefined])) as AiSettings);
}

const model = (name: string | undefined, setting: string): AiModel => (name ? { name } : { missing: `${setting} is not set` });

/**
 * Which AI service, if any. OPENAI_BASE_URL (a laptop's own model server, set on purpose) wins over
 * AZURE_OPENAI_ENDPOINT. Problems turn AI off with the reason, so the rest of the store still starts.
 */
function aiConfig(s: AiSettings): AiConfig {
  if (!s.OPENAI_BASE_URL && !s.AZURE_OPENAI_ENDPOINT) {
    return { provider: 'off', reason: 'AI is not configured: set AZURE_OPENAI_ENDPOINT (Azure OpenAI) or OPENAI_BASE_URL (an OpenAI-compatible server).' };
  }
  // Only the chosen service's address is checked: a stale Azure endpoint beside a local server is harmless.
  const parsed = aiSettingsSchema.safeParse(s.OPENAI_BASE_URL ? { ...s, AZURE_OPENAI_ENDPOINT: undefined } : s);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
    return { provider: 'off', reason: `AI is off because of its settings: ${problems.join('; ')}.` };
  }
  const { AZURE_OPENAI_ENDPOINT: endpoint, OPENAI_BASE_URL: baseUrl, AI_TIMEOUT_MS: timeoutMs } = parsed.data;
  if (baseUrl) {
    return {
      provider: 'openai-compatible',
      url: baseUrl,
      ...(s.OPENAI_API_KEY ? { apiKey: s.OPENAI_API_KEY } : {}),
      chat: model(s.OPENAI_CHAT_MODEL, 'OPENAI_CHAT_MODEL'),
      image: model(s.OPENAI_IMAGE_MODEL, 'OPENAI_IMAGE_MODEL'),
      timeoutMs,
    };
  }
  return {
    provider: 'azure-openai',
    url: endpoint!,
    ...(s.AZURE_OPENAI_API_KEY ? { apiKey: s.AZURE_OPENAI_API_KEY } : {}),
    chat: model(s.AZURE_OPENAI_CHAT_DEPLOYMENT, 'AZURE_OPENAI_CHAT_DEPLOYMENT'),
    image: model(s.AZURE_OPENAI_IMAGE_DEPLOYMENT, 'AZURE_OPENAI_IMAGE_DEPLOYMENT'),
    timeoutMs,
  };
}

/**
 * Whether the Functions host should register bulk enrichment (Durable Functions). Read on its own
 * because index.ts needs it while registering, before any invocation reads the whole configuration;
 * durable-functions adds about 100 ms to every cold start, so it loads only when asked for.
 */
export function enrichmentEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  const parsed = settingsSchema.shape.ENRICHMENT_ENABLED.safeParse(env.ENRICHMENT_ENABLED || undefined);
  if (!parsed.success) throw new ConfigError([`ENRICHMENT_ENABLED: ${parsed.error.issues[0]?.message}`]);
  return parsed.data === 'true';
}
