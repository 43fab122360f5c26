import { rmSync } from 'node:fs';
import { readConfig } from '../functions/src/config.js';
import { CHECKOUT } from '../functions/test/support/checkout.js';
import { load } from './load.js';
import { startListening } from './processes.js';
import { ADMIN_HEADERS, freshDataDir, HOST_SCRIPT, quietHostEnv } from './setup.js';

export interface Taken {
  /** Units the client's 202'd orders hold, as the store's stock shows them gone. */
  units: number;
  /** What the limits allow in the windows the run touched: orders × lines × units a line. */
  allowed: number;
  statusCounts: Record<string, number>;
  limits: string;
}

const CONNECTIONS = 16;
const STOCK = 100_000;

async function json(response: Response): Promise<any> {
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

async function stockOf(base: string, ids: readonly string[]): Promise<number> {
  let total = 0;
  for (const id of ids) total += (await json(await fetch(`${base}/api/products/${id}`))).stock as number;
  return total;
}

/**
 * One anonymous client (one address) trying for `seconds` to take stock as fast as it can, with
 * the store's default limits on: 16 connections sending the largest order the caps let through.
 */
export async function unitsOneClientTakes(seconds: number): Promise<Taken> {
  const config = readConfig({});
  const { orders } = config.rateLimits!;
  const { maxLines, maxUnitsPerLine } = config.orderCaps;
  const dataDir = freshDataDir();
  const host = await startListening(HOST_SCRIPT, { ...quietHostEnv(dataDir), RATE_LIMITS: 'on' });
  try {
    const ids: string[] = [];
    for (let index = 0; index < maxLines; index++) {
      const created = await fetch(`${host.url}/api/manage/products`, {
        method: 'POST',
        headers: { ...ADMIN_HEADERS, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `Bench Stock ${index}`, description: 'For the abuse run.', priceCents: 100, stock: STOCK, tags: ['bench'] }),
      });
      ids.push((await json(created)).id);
    }
    const body = JSON.stringify({ items: ids.map((productId) => ({ productId, quantity: maxUnitsPerLine })), ...CHECKOUT });
    const startedMs = Date.now();
    const { statusCounts } = await load({ url: `${host.url}/api/orders`, method: 'POST', body, headers: { 'content-type': 'application/json' }, connections: CONNECTIONS, seconds });
    const endedMs = Date.now();
    // Fixed windows: a run that crosses a window's end may use two windows' worth.
    const windowMs = orders.windowSeconds * 1000;
    const windows = Math.floor(endedMs / windowMs) - Math.floor(startedMs / windowMs) + 1;
    const expectedGone = (statusCounts[202] ?? 0) * maxLines * maxUnitsPerLine;
    // The makeline takes the stock after the 202: wait for it to settle.
    let units = 0;
    for (let tries = 0; tries < 200; tries++) {
      units = ids.length * STOCK - (await stockOf(host.url, ids));
      if (units >= expectedGone) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return {
      units,
      allowed: orders.limit * windows * maxLines * maxUnitsPerLine,
      statusCounts,
      limits: `RATE_LIMIT_ORDERS ${orders.limit} per ${orders.windowSeconds} s, ${maxLines} lines × ${maxUnitsPerLine} units`,
    };
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
