import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { forSuite } from './suite.js';
import { CHECKOUT } from './checkout.js';

const HOST_ENTRY = resolve('dist/local/host.js');

export interface RunningHost {
  url: string;
  dataDir: string;
  /** The settings it was started with, beside the data folder and port. */
  env: Record<string, string>;
  /** Everything the host printed so far. */
  output(): string;
  /** Sends a signal and waits for the process to end. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface HostOptions {
  env?: Record<string, string>;
  /** Reuse a data folder, e.g. to restart after a crash. */
  dataDir?: string;
}

/** Starts the built local host as its own process on a free loopback port. */
export async function startHost(options: HostOptions = {}): Promise<RunningHost> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'bestbuy-test-'));
  const child: ChildProcess = spawn(process.execPath, [HOST_ENTRY], {
    env: {
      PATH: process.env.PATH,
      DATA_DIR: dataDir,
      LOCAL_HOST_PORT: '0',
      // Every test client is 127.0.0.1, and suites place more orders than one visitor may;
      // clientLimits.test.ts turns them on.
      RATE_LIMITS: 'off',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((ready, fail) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)\/api/.exec(output);
      if (match) ready(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`host exited (${code}) before listening:\n${output}`)));
  });
  return {
    url,
    dataDir,
    env: options.env ?? {},
    output: () => output,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

export function removeDataDir(host: RunningHost): void {
  rmSync(host.dataDir, { recursive: true, force: true });
}

export function principalHeader(roles: string[], userDetails = 'tester@example.com'): string {
  const principal = { identityProvider: 'aad', userId: 'test-user', userDetails, userRoles: ['anonymous', 'authenticated', ...roles] };
  return Buffer.from(JSON.stringify(principal)).toString('base64');
}

export const ADMIN = { 'x-ms-client-principal': principalHeader(['admin']) };

export interface Reply<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A small JSON client for the API under test. */
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string>; raw?: string | Buffer } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const raw = options.raw;
  let body: string | ArrayBuffer | undefined =
    typeof raw === 'string' || raw === undefined ? raw : (raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength) as ArrayBuffer);
  if (options.body !== undefined) body = JSON.stringify(options.body);
  // As the web clients do: the API refuses a change that does not declare application/json, body or not.
  if (method !== 'GET') headers['content-type'] ??= 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: the raw text is returned so the test can say what it got
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export async function createProduct(base: string, overrides: Record<string, unknown> = {}) {
  const reply = await call(base, 'POST', '/api/manage/products', {
    headers: ADMIN,
    body: { name: 'Test Lamp', description: 'A lamp for tests.', priceCents: 1999, stock: 10, tags: ['test'], ...overrides },
  });
  if (reply.status !== 201) throw new Error(`creating a product failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body as { id: string; stock: number; version: number; priceCents: number };
}

/** Starts a host for the enclosing describe block and stops and removes it afterwards. */
export function useHost(env: Record<string, string> | (() => Record<string, string>) = { SEED_CATALOG: 'false' }): Pick<RunningHost, 'url' | 'dataDir' | 'env' | 'output'> {
  const running = forSuite('the host', () => startHost({ env: typeof env === 'function' ? env() : env }), async (host) => {
    await host.kill();
    removeDataDir(host);
  });
  return {
    get url() {
      return running().url;
    },
    get dataDir() {
      return running().dataDir;
    },
    get env() {
      return running().env;
    },
    output: () => running().output(),
  };
}

export interface OrderSummary {
  orderId: string;
  status: string;
  version: number;
  customer: { name?: string };
  history: Array<{ status: string; at: string; reason?: string }>;
}

/** Every order the employee API lists for `query` (e.g. "status=pending"), across all pages. */
export async function allOrders(base: string, query = ''): Promise<OrderSummary[]> {
  const found: OrderSummary[] = [];
  let cursor: string | null = null;
  do {
    const page: Reply<{ items: OrderSummary[]; nextCursor: string | null }> = await call(
      base,
      'GET',
      `/api/manage/orders?limit=100&${query}${cursor ? `&cursor=${cursor}` : ''}`,
      { headers: ADMIN },
    );
    found.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return found;
}

/**
 * Sixteen customers order one unit each, over and over, until `atLeast` orders were acknowledged;
 * then the host is killed with SIGKILL mid-load. Returns the ids of every order that got a 202.
 */
export async function orderUntilKilled(host: RunningHost, productId: string, atLeast = 300): Promise<string[]> {
  const acknowledged: string[] = [];
  let sending = true;
  const customer = async () => {
    while (sending) {
      try {
        const reply = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId, quantity: 1 }], ...CHECKOUT } });
        if (reply.status === 202) acknowledged.push(reply.body.orderId);
      } catch {
        // the connection died with the host: this order was never acknowledged
      }
    }
  };
  const customers = Array.from({ length: 16 }, customer);
  await eventually(async () => acknowledged.length >= atLeast, 15_000, 10);
  await host.kill('SIGKILL');
  sending = false;
  await Promise.all(customers);
  return acknowledged;
}
