import { z } from 'zod';

const wholeNumber = (fallback: number, min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .default(fallback);

const rate = wholeNumber(0, 0, 360_000);

/** Every setting the app reads, with its default; the README's settings table mirrors this. */
const optionalText = z.string().trim().min(1).optional();

const settingsSchema = z.object({
  STORE_ADAPTERS: z.enum(['embedded', 'azure']).default('embedded'),
  MONGODB_URI: optionalText,
  MONGODB_DATABASE: z.string().trim().regex(/^[A-Za-z0-9_-]{1,63}$/, 'must be a database name').default('bestbuy'),
  // The same names the Service Bus trigger reads: a connection string, or a namespace for identity.
  ServiceBusConnection: optionalText,
  ServiceBusConnection__fullyQualifiedNamespace: optionalText,
  ImagesStorage: optionalText,
  ImagesStorage__blobServiceUri: z.url({ protocol: /^https?$/ }).optional(),
  IMAGES_CONTAINER: z.string().trim().regex(/^[a-z0-9-]{3,63}$/, 'must be a blob container name').default('product-images'),
  DATA_DIR: z.string().trim().min(1).default('data'),
  QUEUE_LOCK_DURATION_SECONDS: wholeNumber(60, 1, 300),
  QUEUE_MAX_DELIVERY_COUNT: wholeNumber(10, 1, 2000),
  QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS: wholeNumber(600, 20, 7 * 24 * 3600),
  OUTBOX_RESEND_AFTER_SECONDS: wholeNumber(30, 1, 24 * 3600),
  VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: rate,
  VIRTUAL_WORKER_ORDERS_PER_HOUR: rate,
  LOCAL_HOST_PORT: wholeNumber(7071, 0, 65535),
  SWA_PORT: wholeNumber(4280, 1, 65535),
  SEED_CATALOG: z.enum(['true', 'false']).default('true'),
  LOG_LEVEL: z.enum(['info', 'warn', 'error']).default('info'),
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
 * lockDuration, maxDeliveryCount and duplicate detection window are Service Bus queue properties.
 */
export const LOCAL_ONLY_SETTINGS: ReadonlySet<string> = new Set([
  'DATA_DIR', // folder of the embedded SQLite file
  'QUEUE_LOCK_DURATION_SECONDS',
  'QUEUE_MAX_DELIVERY_COUNT',
  'QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS',
  'LOCAL_HOST_PORT', // the local host (npm start, npm run host)
  'SWA_PORT', // the Static Web Apps CLI under npm start
  'SEED_CATALOG', // the local host seeds an empty embedded catalog
  'LOG_LEVEL', // the local host's console
]);

export interface Config {
  adapters: 'embedded' | 'azure';
  /** Present exactly when adapters is 'azure'. */
  azure?: AzureConfig;
  databaseFile: string;
  queue: { lockDurationMs: number; maxDeliveryCount: number; duplicateDetectionWindowMs: number };
  outboxResendAfterMs: number;
  virtualCustomerOrdersPerHour: number;
  virtualWorkerOrdersPerHour: number;
  /** Read by the local host and npm start only: ports (0 picks a free one) and whether to seed an empty catalog. */
  local: { port: number; swaPort: number; seedCatalog: boolean; logLevel: 'info' | 'warn' | 'error' };
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
  return {
    adapters: s.STORE_ADAPTERS,
    ...(s.STORE_ADAPTERS === 'azure' ? { azure: azureConfig(s) } : {}),
    databaseFile: `${s.DATA_DIR}/store.db`,
    queue: {
      lockDurationMs: s.QUEUE_LOCK_DURATION_SECONDS * 1000,
      maxDeliveryCount: s.QUEUE_MAX_DELIVERY_COUNT,
      duplicateDetectionWindowMs: s.QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS * 1000,
    },
    outboxResendAfterMs: s.OUTBOX_RESEND_AFTER_SECONDS * 1000,
    virtualCustomerOrdersPerHour: s.VIRTUAL_CUSTOMER_ORDERS_PER_HOUR,
    virtualWorkerOrdersPerHour: s.VIRTUAL_WORKER_ORDERS_PER_HOUR,
    local: { port: s.LOCAL_HOST_PORT, swaPort: s.SWA_PORT, seedCatalog: s.SEED_CATALOG === 'true', logLevel: s.LOG_LEVEL },
  };
}

type Settings = z.infer<typeof settingsSchema>;

function connection(connectionString: string | undefined, endpoint: string | undefined): Connection | undefined {
  if (endpoint) return { endpoint };
  if (connectionString) return { connectionString };
  return undefined;
}

/** The Azure adapters need all three services; every missing one is named at once. */
function azureConfig(s: Settings): AzureConfig {
  const serviceBus = connection(s.ServiceBusConnection, s.ServiceBusConnection__fullyQualifiedNamespace);
  const images = connection(s.ImagesStorage, s.ImagesStorage__blobServiceUri);
  const problems = [
    ...(s.MONGODB_URI ? [] : ['MONGODB_URI: required when STORE_ADAPTERS is azure']),
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
