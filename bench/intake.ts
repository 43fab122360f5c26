import Database from 'better-sqlite3';
import { join } from 'node:path';
import { startListening } from './processes.js';
import { load, type LoadResult } from './load.js';
import { ADMIN_HEADERS, freshDataDir, HOST_SCRIPT, quietHostEnv } from './setup.js';

export interface IntakeResult extends LoadResult {
  accepted: number;
  verifiedStored: number;
}

const CONNECTIONS = 16;

async function createProduct(base: string, stock: number): Promise<string> {
  const response = await fetch(`${base}/api/manage/products`, {
    method: 'POST',
    headers: { ...ADMIN_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench Widget', description: 'For load.', priceCents: 999, stock, tags: ['bench'] }),
  });
  return ((await response.json()) as { id: string }).id;
}

/** POST /api/orders at 16 connections, then checks every 202'd order is in the database file. */
export async function orderIntake(seconds: number): Promise<IntakeResult> {
  const dataDir = freshDataDir();
  const host = await startListening(HOST_SCRIPT, quietHostEnv(dataDir));
  try {
    const productId = await createProduct(host.url, 1_000_000);
    const acceptedIds: string[] = [];
    const result = await load({
      url: `${host.url}/api/orders`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ productId, quantity: 1 }], customer: { name: 'Bench' } }),
      connections: CONNECTIONS,
      seconds,
      onResponse: (status, body) => {
        if (status === 202) acceptedIds.push((JSON.parse(body) as { orderId: string }).orderId);
      },
    });
    await host.stop();
    const db = new Database(join(dataDir, 'store.db'), { readonly: true });
    const stored = new Set(db.prepare<[], { order_id: string }>('SELECT order_id FROM orders').all().map((row) => row.order_id));
    db.close();
    return { ...result, accepted: acceptedIds.length, verifiedStored: acceptedIds.filter((id) => stored.has(id)).length };
  } finally {
    await host.stop();
  }
}

/** The same load against a server that only parses JSON and answers 202. */
export async function bareServer(script: string, seconds: number): Promise<LoadResult> {
  const bare = await startListening(script, {});
  try {
    return await load({
      url: `${bare.url}/`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ items: [{ productId: 'x', quantity: 1 }], customer: { name: 'Bench' } }),
      connections: CONNECTIONS,
      seconds,
    });
  } finally {
    await bare.stop();
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
