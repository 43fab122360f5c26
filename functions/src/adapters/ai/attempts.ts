import { aiCancelled, aiTimedOut, type StoreError } from '../../domain/errors.js';

/** How one AI call may spend its time: a budget for everything, retries included. */
export interface AiRetryPolicy {
  /** Total budget; nothing outlives it, however the service behaves. */
  timeoutMs: number;
  /** Retries after the first attempt, for 408, 429, 5xx and failed connections. */
  maxRetries: number;
  /** First backoff when the service names no Retry-After; doubles each retry. */
  backoffMs: number;
  /** Longest backoff. */
  maxBackoffMs: number;
}

export const DEFAULT_RETRY: Omit<AiRetryPolicy, 'timeoutMs'> = { maxRetries: 2, backoffMs: 500, maxBackoffMs: 8_000 };

/** What a failed attempt means: give up with `error`, or try again (after `retryAfterMs`, when the service said). */
export interface Failure {
  error: StoreError;
  retryable: boolean;
  retryAfterMs?: number | undefined;
}

/** Milliseconds a response asks us to wait: retry-after-ms, or Retry-After in seconds or as a date. */
export function retryAfterMs(headers: { get(name: string): string | null } | undefined, now = Date.now()): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after');
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number.parseFloat(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function backoff(retry: number, policy: AiRetryPolicy): number {
  const full = Math.min(policy.backoffMs * 2 ** retry, policy.maxBackoffMs);
  return full * (1 - Math.random() * 0.25);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/**
 * Runs `attempt` until it succeeds, a failure is final, the retries are spent or the budget is.
 * Each attempt gets a signal that aborts at the deadline and the time left. The deadline also
 * holds for work that ignores the signal (a hanging token request): the caller gets `ai_timeout`.
 * A Retry-After longer than the time left ends it at once rather than waiting for nothing.
 */
export async function withRetries<T>(
  attempt: (context: { signal: AbortSignal; timeoutMs: number }) => Promise<T>,
  classify: (error: unknown) => Failure,
  policy: AiRetryPolicy,
  signal?: AbortSignal,
): Promise<T> {
  const deadline = Date.now() + policy.timeoutMs;
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, policy.timeoutMs);
  const cancel = () => controller.abort();
  if (signal?.aborted) cancel();
  else signal?.addEventListener('abort', cancel, { once: true });
  const stopped = new Promise<never>((_, reject) => {
    const onAbort = () =>
      reject(expired ? aiTimedOut(policy.timeoutMs) : aiCancelled());
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener('abort', onAbort, { once: true });
  });
  stopped.catch(() => {}); // settled by the race below, or not needed

  const run = async (): Promise<T> => {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt({ signal: controller.signal, timeoutMs: Math.max(1, deadline - Date.now()) });
      } catch (error) {
        if (controller.signal.aborted) return stopped;
        const failure = classify(error);
        if (!failure.retryable || retry >= policy.maxRetries) throw failure.error;
        const wait = failure.retryAfterMs ?? backoff(retry, policy);
        if (Date.now() + wait >= deadline) throw failure.error;
        await sleep(wait, controller.signal);
        if (controller.signal.aborted) return stopped;
      }
    }
  };
  const work = run();
  work.catch(() => {}); // after the deadline its late failure matters to no one
  try {
    return await Promise.race([work, stopped]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', cancel);
  }
}
