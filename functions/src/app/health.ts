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

/**
 * The mail service as health reports it, beside the checks: a mail server that is down delays
 * emails (the outbox keeps them), never orders, so it never makes the store unhealthy.
 */
export type MailCheck = { provider: Services['mail']['provider'] } & ({ status: 'off' } | Check);

async function checkMail(mail: Services['mail']): Promise<MailCheck> {
  if (mail.provider === 'off') return { provider: 'off', status: 'off' };
  return { provider: mail.provider, ...(await timed(() => mail.ping())) };
}

/** Probes every dependency for real, each timed; healthy only when all answer. */
export async function checkHealth({ products, orders, queue, images, mail }: Services) {
  const mailCheck = checkMail(mail);
  const checks = {
    store: await timed(async () => {
      await products.ping();
      await orders.ping();
    }),
    queue: await timed(() => queue.ping()),
    images: await timed(() => images.ping()),
  };
  const healthy = Object.values(checks).every((check) => check.status === 'ok');
  return { healthy, status: healthy ? ('ok' as const) : ('degraded' as const), checks, mail: await mailCheck };
}

/** The checks as anyone may see them: status and latency, never why. */
export function withoutErrors<K extends string>(checks: Record<K, Check>): Record<K, Omit<Check, 'error'>> {
  return Object.fromEntries(Object.entries<Check>(checks).map(([name, { status, latencyMs }]) => [name, { status, latencyMs }])) as Record<K, Omit<Check, 'error'>>;
}

/** The mail check as anyone may see it: the provider and status, never why. */
export function mailWithoutError(mail: MailCheck): MailCheck {
  if (mail.status === 'off') return mail;
  const { error: _why, ...visible } = mail;
  return visible;
}
