import { storeBusy } from '../../domain/errors.js';

/** Cosmos DB for MongoDB answers rate limiting with error code 16500 and "RetryAfterMs=N" in the message. */
const THROTTLED_CODES = new Set([16500, 429]);

export interface ThrottlingRetryPolicy {
  maxAttempts: number;
  /** First wait when the server names none; doubled each attempt, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultThrottlingRetry: ThrottlingRetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 50,
  maxDelayMs: 5_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** The wait the server asked for, or null when the error is not throttling. */
export function throttledRetryAfterMs(error: unknown): number | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : '';
  const throttled = (typeof code === 'number' && THROTTLED_CODES.has(code)) || /TooManyRequests|Request rate is large/i.test(text);
  if (!throttled) return null;
  const named = /RetryAfterMs=(\d+)/i.exec(text);
  return named ? Number(named[1]) : 0;
}

/**
 * Runs `operation`, waiting and retrying while Cosmos DB throttles it; any other error passes
 * through. Still throttled after the last attempt, it is a busy store, as a busy SQLite file is
 * for the embedded adapters: 503 with Retry-After.
 */
export async function withThrottlingRetry<T>(operation: () => Promise<T>, policy: ThrottlingRetryPolicy = defaultThrottlingRetry): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const asked = throttledRetryAfterMs(error);
      if (asked === null) throw error;
      if (attempt >= policy.maxAttempts) {
        throw storeBusy(error, Math.max(1, Math.ceil(asked / 1000)));
      }
      const backoff = policy.baseDelayMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2);
      await policy.sleep(Math.min(policy.maxDelayMs, Math.max(asked, backoff)));
    }
  }
}
