import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeOnServer } from './suite.js';

/** The one place the pinned version is written: the script that builds it. */
const INSTALLER = resolve('.ci/install-stripe-mock');
const STRIPE_MOCK_VERSION = /^STRIPE_MOCK_VERSION=(\S+)$/m.exec(readFileSync(INSTALLER, 'utf8'))![1]!;

/** Where .ci/install-stripe-mock puts the binary, or STRIPE_MOCK_PATH. */
const binary =
  process.env.STRIPE_MOCK_PATH ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'bestbuy-store', `stripe-mock-${STRIPE_MOCK_VERSION}`, 'stripe-mock');

export interface StripeMock {
  /** Its HTTP address, for STRIPE_API_URL. */
  url: URL;
  stop(): Promise<void>;
}

/**
 * stripe-mock on free loopback ports: HTTP for the tests, and HTTPS (which it always opens) on
 * loopback too rather than on every address at its default port.
 */
export async function startStripeMock(): Promise<StripeMock> {
  const child = spawn(binary, ['-http-addr', '127.0.0.1:0', '-https-addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const port = await new Promise<number>((ready, fail) => {
    const onData = (chunk: Buffer) => {
      // Only the start matters; past it, the log is dropped.
      if (output.length > 20_000) return;
      output += chunk.toString();
      const listening = /Listening for HTTP at address: 127\.0\.0\.1:(\d+)/.exec(output);
      if (listening) ready(Number(listening[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`stripe-mock exited (${code}):\n${output}`)));
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return {
    url: new URL(`http://127.0.0.1:${port}`),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Why there is no stripe-mock to run on, or nothing when there is one. */
export function missingStripeMock(): string | undefined {
  const how = 'run .ci/install-stripe-mock (needs Go 1.22+) or set STRIPE_MOCK_PATH';
  if (!existsSync(binary)) return `no stripe-mock at ${binary}: ${how}`;
  try {
    const version = execFileSync(binary, ['-version'], { encoding: 'utf8', timeout: 10_000 });
    if (version.trim() !== `stripe-mock ${STRIPE_MOCK_VERSION}`) return `${binary} is not stripe-mock ${STRIPE_MOCK_VERSION}: ${how}`;
  } catch {
    return `${binary} does not start: ${how}`;
  }
  return undefined;
}

/**
 * A describe block whose tests run against a stripe-mock started for it. Without one it is skipped
 * with one line saying how to get one, except under CI, where it fails: CI must never pass
 * without having run the Stripe adapter against Stripe's mock.
 */
export function describeOnStripeMock(name: string, body: (mock: () => StripeMock) => void): void {
  describeOnServer(name, { what: 'stripe-mock', missing: missingStripeMock(), start: startStripeMock, stop: (mock) => mock.stop() }, body);
}

/**
 * An event about one payment attempt's PaymentIntent as Stripe sends it (only what the store
 * reads): the intent carries the metadata the store created it with.
 */
export function paymentIntentEvent(type: string, orderId: string, attempt: number, intent: Record<string, unknown>, eventId = `evt_${type}_${orderId}_${attempt}`): string {
  return JSON.stringify({
    id: eventId,
    object: 'event',
    type,
    data: { object: { id: `pi_${orderId.slice(0, 8)}_${attempt}`, object: 'payment_intent', metadata: { orderId, idempotencyKey: `${orderId}:${attempt}` }, ...intent } },
  });
}

/** payment_intent.succeeded for that attempt, paid with stripe-mock's Visa ending in 4242. */
export const intentSucceeded = (orderId: string, attempt = 1) =>
  paymentIntentEvent('payment_intent.succeeded', orderId, attempt, { status: 'succeeded', payment_method: 'pm_card_visa' });
