import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpuPerOrder, type CpuPerOrder } from './cpuPerOrder.js';
import { startListening, type Child } from './processes.js';
import { load, type LoadResult } from './load.js';
import { ADMIN_HEADERS, freshDataDir, HOST_SCRIPT, quietHostEnv } from './setup.js';
import { CHECKOUT, UNPAID } from '../functions/test/support/checkout.js';

export interface IntakeResult extends LoadResult {
  accepted: number;
  /** 202'd orderIds, each counted once, that are in store.db exactly once. */
  storedOnce: number;
  /** Orders still `received` when the load stopped, and how long until none were. */
  backlogAtEnd: number;
  drainSeconds: number;
}

const CONNECTIONS = 16;
/** The offered load under which CPU per order is measured: one both servers keep up with here. */
export const CPU_RATE_PER_SECOND = 1_000;
/** Load before the CPU measurement, so compiling and first-use costs stay out of it. */
export const WARM_UP_SECONDS = 2;

/** An order paid in the same call with the demo's success card, or (`pay` false) left unpaid: the path as it was before payments, plus the hold. */
const orderBody = (productId: string, pay = true) => JSON.stringify({ items: [{ productId, quantity: 1 }], ...(pay ? CHECKOUT : UNPAID) });

async function createProduct(base: string, stock: number): Promise<string> {
  const response = await fetch(`${base}/api/manage/products`, {
    method: 'POST',
    headers: { ...ADMIN_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench Widget', description: 'For load.', priceCents: 999, stock, tags: ['bench'] }),
  });
  return ((await response.json()) as { id: string }).id;
}

/** How long the makeline took, after the load stopped, to bring every stored order past `received`. */
async function drainSeconds(dataDir: string, timeoutSeconds = 60): Promise<{ backlog: number; seconds: number }> {
  const db = new Database(join(dataDir, 'store.db'), { readonly: true });
  const received = db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM orders WHERE status = 'received'");
  try {
    const backlog = received.get()!.n;
    const started = performance.now();
    while (received.get()!.n > 0 && performance.now() - started < timeoutSeconds * 1000) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return { backlog, seconds: (performance.now() - started) / 1000 };
  } finally {
    db.close();
  }
}

/**
 * POST /api/orders at 16 connections, each order paid in the same call unless `pay` is false;
 * then how far the makeline lagged behind, and whether every 202'd order is in the database
 * file, once.
 */
export async function orderIntake(seconds: number, pay = true): Promise<IntakeResult> {
  const dataDir = freshDataDir();
  const host = await startListening(HOST_SCRIPT, quietHostEnv(dataDir));
  try {
    const productId = await createProduct(host.url, 1_000_000);
    const acceptedIds: string[] = [];
    const result = await load({
      url: `${host.url}/api/orders`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: orderBody(productId, pay),
      connections: CONNECTIONS,
      seconds,
      onResponse: (status, body) => {
        if (status === 202) acceptedIds.push((JSON.parse(body) as { orderId: string }).orderId);
      },
    });
    const drain = await drainSeconds(dataDir);
    await host.stop();
    const db = new Database(join(dataDir, 'store.db'), { readonly: true });
    const storedTimes = new Map<string, number>();
    for (const { order_id } of db.prepare<[], { order_id: string }>('SELECT order_id FROM orders').all()) {
      storedTimes.set(order_id, (storedTimes.get(order_id) ?? 0) + 1);
    }
    db.close();
    const distinct = new Set(acceptedIds);
    return {
      ...result,
      accepted: acceptedIds.length,
      storedOnce: [...distinct].filter((id) => storedTimes.get(id) === 1).length,
      backlogAtEnd: drain.backlog,
      drainSeconds: drain.seconds,
    };
  } finally {
    await host.stop();
  }
}

/** The same load against a reference server script: one order per request, its own data folder. */
export async function referenceServer(script: string, seconds: number): Promise<LoadResult> {
  const dataDir = freshDataDir();
  const server = await startListening(script, { DATA_DIR: dataDir });
  try {
    return await load({
      url: `${server.url}/`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: orderBody('x'),
      connections: CONNECTIONS,
      seconds,
    });
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** CPU per accepted order of a running server at CPU_RATE_PER_SECOND offered, after a warm-up. */
async function cpuAtFixedRate(server: Child, url: string, body: string, seconds: number): Promise<CpuPerOrder | null> {
  const offer = (duration: number) =>
    load({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, seconds: duration, ratePerSecond: CPU_RATE_PER_SECOND });
  await offer(WARM_UP_SECONDS);
  return cpuPerOrder(server.process.pid!, async () => (await offer(seconds)).statusCounts['202'] ?? 0);
}

/** The local host's CPU per order at a fixed offered load: main thread, and the rest (the makeline's worker). */
export async function intakeCpu(seconds: number): Promise<CpuPerOrder | null> {
  const dataDir = freshDataDir();
  const host = await startListening(HOST_SCRIPT, quietHostEnv(dataDir));
  try {
    const productId = await createProduct(host.url, 1_000_000);
    return await cpuAtFixedRate(host, `${host.url}/api/orders`, orderBody(productId), seconds);
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The same for a reference server script. */
export async function referenceCpu(script: string, seconds: number): Promise<CpuPerOrder | null> {
  const dataDir = freshDataDir();
  const server = await startListening(script, { DATA_DIR: dataDir });
  try {
    return await cpuAtFixedRate(server, `${server.url}/`, orderBody('x'), seconds);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** GET /api/products, plain and with the ETag it answered. */
export async function catalog(seconds: number): Promise<{ plain: LoadResult; conditional: LoadResult }> {
  const host = await startListening(HOST_SCRIPT, { ...quietHostEnv(freshDataDir()), SEED_CATALOG: 'true' });
  try {
    const url = `${host.url}/api/products`;
    const etag = (await fetch(url)).headers.get('etag') ?? '';
    const plain = await load({ url, connections: CONNECTIONS, seconds });
    const conditional = await load({ url, headers: { 'if-none-match': etag }, connections: CONNECTIONS, seconds });
    return { plain, conditional };
  } finally {
    await host.stop();
  }
}
