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
const settingsSchema = z.object({
  STORE_ADAPTERS: z.enum(['embedded']).default('embedded'),
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
});

/** The name of every setting the app reads; the infra lint checks each one is set on the Function App or is local-only. */
export const SETTING_NAMES: readonly string[] = Object.keys(settingsSchema.shape);

export interface Config {
  adapters: 'embedded';
  databaseFile: string;
  queue: { lockDurationMs: number; maxDeliveryCount: number; duplicateDetectionWindowMs: number };
  outboxResendAfterMs: number;
  virtualCustomerOrdersPerHour: number;
  virtualWorkerOrdersPerHour: number;
  /** Read by the local host and npm start only: ports (0 picks a free one) and whether to seed an empty catalog. */
  local: { port: number; swaPort: number; seedCatalog: boolean };
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
    Object.keys(settingsSchema.shape)
      .filter((name) => env[name] !== undefined && env[name] !== '')
      .map((name) => [name, env[name]]),
  );
  const parsed = settingsSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const s = parsed.data;
  return {
    adapters: s.STORE_ADAPTERS,
    databaseFile: `${s.DATA_DIR}/store.db`,
    queue: {
      lockDurationMs: s.QUEUE_LOCK_DURATION_SECONDS * 1000,
      maxDeliveryCount: s.QUEUE_MAX_DELIVERY_COUNT,
      duplicateDetectionWindowMs: s.QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS * 1000,
    },
    outboxResendAfterMs: s.OUTBOX_RESEND_AFTER_SECONDS * 1000,
    virtualCustomerOrdersPerHour: s.VIRTUAL_CUSTOMER_ORDERS_PER_HOUR,
    virtualWorkerOrdersPerHour: s.VIRTUAL_WORKER_ORDERS_PER_HOUR,
    local: { port: s.LOCAL_HOST_PORT, swaPort: s.SWA_PORT, seedCatalog: s.SEED_CATALOG === 'true' },
  };
}
