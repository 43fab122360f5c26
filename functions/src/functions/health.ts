import type { HttpHandler } from '../http/types.js';

interface Check {
  status: 'ok' | 'down';
  latencyMs: number;
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

export const health: HttpHandler = async (_request, { products, orders, queue }) => {
  const checks = {
    store: await timed(async () => {
      await products.ping();
      await orders.ping();
    }),
    queue: await timed(() => queue.ping()),
  };
  const healthy = Object.values(checks).every((check) => check.status === 'ok');
  return { status: healthy ? 200 : 503, headers: { 'cache-control': 'no-store' }, body: { status: healthy ? 'ok' : 'degraded', checks } };
};
