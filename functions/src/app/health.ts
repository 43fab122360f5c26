import type { Services } from '../ports.js';

export interface Check {
  status: 'ok' | 'down';
  latencyMs: number;
  /** Why it is down. For the log and for employees: a dependency's own message can name hosts, accounts or keys. */
  error?: string;
}

async function timed(probe: () => Promise<void>): Promise<Check> {
  const started = performance.now();
  try {
    await probe();
    return { status: 'ok', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (error) {
    return { status: 'down', latencyMs: Math.round(performance.now() - started), error: (error as Error).message };
  }
}

/** Probes every dependency for real, each timed; healthy only when all answer. */
export async function checkHealth({ products, orders, queue, images }: Services) {
  const checks = {
    store: await timed(async () => {
      await products.ping();
      await orders.ping();
    }),
    queue: await timed(() => queue.ping()),
    images: await timed(() => images.ping()),
  };
  const healthy = Object.values(checks).every((check) => check.status === 'ok');
  return { healthy, status: healthy ? ('ok' as const) : ('degraded' as const), checks };
}

/** The checks as anyone may see them: status and latency, never why. */
export function withoutErrors<K extends string>(checks: Record<K, Check>): Record<K, Omit<Check, 'error'>> {
  return Object.fromEntries(Object.entries<Check>(checks).map(([name, { status, latencyMs }]) => [name, { status, latencyMs }])) as Record<K, Omit<Check, 'error'>>;
}
