import { readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fork } from 'node:child_process';
import { SqliteFile } from '../functions/src/adapters/embedded/database.js';
import { SqliteProductStore } from '../functions/src/adapters/embedded/productStore.js';
import { DEFAULT_CATALOG_CACHE_MB } from '../functions/src/config.js';
import { newProduct } from '../functions/src/domain/product.js';
import { startListening, type Child } from './processes.js';
import { freshDataDir, HOST_SCRIPT, quietHostEnv } from './setup.js';
import { ADJECTIVES, NOUNS, TAGS, WORDS } from './catalogWords.js';
import type { CatalogClients } from './catalogClients.js';

export const CATALOG_PRODUCTS = 3_000;
export const SEARCH_CLIENTS = 16;
export const PAGING_CLIENTS = 8;
export const DISTINCT_PAGES = 1_000;

const pick = <T>(list: readonly T[], n: number) => list[n % list.length]!;

/** 3,000 products written straight into a fresh store file, the way the admin API would store them. */
async function seedCatalog(dataDir: string): Promise<string[]> {
  const file = new SqliteFile(join(dataDir, 'store.db'));
  const store = new SqliteProductStore(file, { now: () => new Date() });
  const ids: string[] = [];
  const writes: Array<Promise<boolean>> = [];
  for (let n = 0; n < CATALOG_PRODUCTS; n++) {
    const id = `bench-${n}`;
    ids.push(id);
    const description = Array.from({ length: 12 }, (_, k) => pick(WORDS, n * 7 + k * 3)).join(' ');
    const product = { name: `${pick(ADJECTIVES, n)} ${pick(NOUNS, Math.floor(n / 20))} ${n}`, description: `A ${description}.`, priceCents: 999 + n, stock: 100, tags: [pick(TAGS, n), pick(TAGS, n + 3)] };
    writes.push(store.create(newProduct(id, product, new Date())));
  }
  await Promise.all(writes);
  file.close();
  return ids;
}

/** One GET on a connection of its own (no keep-alive): what a new visitor's first request costs. */
function freshConnectionGet(url: string): Promise<number> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const outgoing = request(url, { agent: false, headers: { connection: 'close' } }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 200 ? done(performance.now() - started) : fail(new Error(`GET ${url}: ${response.statusCode}`))));
    });
    outgoing.setTimeout(10_000, () => outgoing.destroy(new Error(`GET ${url}: no answer in 10 s`)));
    outgoing.on('error', fail);
    outgoing.end();
  });
}

const p99 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))]!;

/** p99 of fresh-connection product GETs, one after another, for `seconds`; timeouts count as 10 s. */
async function productGetP99(base: string, ids: readonly string[], seconds: number): Promise<{ p99Ms: number; samples: number; timeouts: number }> {
  const samples: number[] = [];
  let timeouts = 0;
  const until = performance.now() + seconds * 1000;
  while (performance.now() < until) {
    const id = ids[Math.floor(Math.random() * ids.length)]!;
    try {
      samples.push(await freshConnectionGet(`${base}/api/products/${id}`));
    } catch {
      timeouts++;
      samples.push(10_000);
    }
  }
  return { p99Ms: p99(samples), samples: samples.length, timeouts };
}

/** Keep-alive clients in a process of their own at the lowest priority (catalogClients.ts), until stopped; stop() answers how many requests they made. */
function background(load: CatalogClients): { stop(): Promise<number> } {
  const clients = fork(new URL('./catalogClients.js', import.meta.url), [JSON.stringify(load)]);
  const exited = new Promise<void>((done) => clients.once('exit', () => done()));
  return {
    async stop() {
      const requests = new Promise<number>((done) => clients.once('message', (made) => done(made as number)));
      clients.send('stop');
      const made = await requests;
      await exited;
      return made;
    },
  };
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

export interface CatalogLoadResult {
  idle: { p99Ms: number; samples: number };
  searching: { p99Ms: number; samples: number; timeouts: number; searches: number };
  paging: { p99Ms: number; samples: number; timeouts: number; pages: number };
  /** Host RSS before and after DISTINCT_PAGES distinct catalog pages, and the cache bound, in MB. */
  rss: { idleMb: number; afterMb: number; cacheMb: number } | null;
}

/**
 * The catalog under the load issue #24 describes, on one local host with 3,000 products: the p99
 * of a new visitor's product GET idle, while 16 clients search at random and while 8 page through
 * the whole catalog; then the host's RSS after 1,000 distinct pages of 51-100 products. The host
 * runs with RATE_LIMITS=off: what is measured is the store's own cost, not a limit's refusals.
 */
export async function catalogLoad(seconds: number): Promise<CatalogLoadResult> {
  const dataDir = freshDataDir();
  const ids = await seedCatalog(dataDir);
  const host: Child = await startListening(HOST_SCRIPT, { ...quietHostEnv(dataDir), RATE_LIMITS: 'off' });
  try {
    await productGetP99(host.url, ids, 1);
    const idle = await productGetP99(host.url, ids, seconds);

    const searchers = background({ base: host.url, kind: 'search', clients: SEARCH_CLIENTS });
    const searching = await productGetP99(host.url, ids, seconds);
    const searches = await searchers.stop();

    const pagers = background({ base: host.url, kind: 'page', clients: PAGING_CLIENTS });
    const paging = await productGetP99(host.url, ids, seconds);
    const pages = await pagers.stop();

    await host.stop();
    return {
      idle,
      searching: { ...searching, searches },
      paging: { ...paging, pages },
      rss: await distinctPagesRss(dataDir),
    };
  } finally {
    await host.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** A fresh host on the same file: its RSS when warmed up, and after DISTINCT_PAGES distinct pages. */
async function distinctPagesRss(dataDir: string): Promise<CatalogLoadResult['rss']> {
  if (process.platform !== 'linux') return null;
  const host = await startListening(HOST_SCRIPT, { ...quietHostEnv(dataDir), RATE_LIMITS: 'off' });
  try {
    const pid = host.process.pid!;
    const get = async (query: string) => (await fetch(`${host.url}/api/products?${query}`)).arrayBuffer();
    for (let n = 0; n < 50; n++) await get(`limit=${1 + (n % 10)}`);
    const idleMb = rssMb(pid);
    const vocabulary = [...ADJECTIVES, ...NOUNS, ...WORDS, ...TAGS];
    for (let n = 0; n < DISTINCT_PAGES; n++) {
      // 20 words (150 products each) × 50 page sizes: 1,000 pages of 51-100 products, none asked twice.
      await get(`q=${encodeURIComponent(pick(vocabulary, Math.floor(n / 50)))}&limit=${51 + (n % 50)}`);
    }
    return { idleMb, afterMb: rssMb(pid), cacheMb: DEFAULT_CATALOG_CACHE_MB };
  } finally {
    await host.stop();
  }
}
