import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { launch, type LaunchedChrome } from 'chrome-launcher';
import lighthouse, { desktopConfig, type Config, type Flags } from 'lighthouse';
import puppeteer, { type Browser } from 'puppeteer-core';
import { startStack, type RunningStack } from '../functions/test/support/stack.js';
import { atLeast, atMost, type Row } from './table.js';

/** Debian's Chromium, as the browser tests use it; Lighthouse downloads no browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);

export type Preset = 'mobile' | 'desktop';
export const PRESETS: readonly Preset[] = ['mobile', 'desktop'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
type Category = (typeof CATEGORIES)[number];

/** One page's medians over its runs: the four scores (0–100) and the cumulative layout shift. */
export interface PageScores {
  page: string;
  preset: Preset;
  scores: Record<Category, number>;
  cls: number;
  /** Each run's performance score, to see how noisy the machine was. */
  performanceRuns: number[];
}

/** What a page needs in the browser before Lighthouse loads it: a cart in localStorage, an employee's sign-in cookie. */
interface Visit {
  name: string;
  path: string;
  storefront: boolean;
  localStorage?: Record<string, string>;
  cookie?: { name: string; value: string };
}

/**
 * Lighthouse 12.2.3's trace engine (the newest 12.x whose lock npm ci accepts here; 13 wants
 * Node 22) throws on Chromium 156's traces: its screenshot handler reads
 * `args.chrome_frame_reporter.frame_sequence` from every PipelineReporter event, and Chromium 156
 * writes some without it. The error is caught, but every audit built on the trace engine fails
 * with it (layout-shifts, lcp-lazy-loaded, render-blocking-resources, …). So each run gathers
 * (`gatherMode`, Lighthouse's own -G), drops those PipelineReporter events from the saved trace,
 * and audits (`auditMode`, -A). Nothing else reads PipelineReporter events: only the filmstrip's
 * timestamps lose their correction.
 */
function dropUnreadablePipelineEvents(traceFile: string): void {
  const saved = JSON.parse(readFileSync(traceFile, 'utf8')) as { traceEvents: Array<{ name?: string; ph?: string; id?: string; id2?: { local?: string }; args?: { chrome_frame_reporter?: unknown } }> };
  const key = (event: (typeof saved.traceEvents)[number]) => event.id ?? event.id2?.local;
  const unreadable = new Set(saved.traceEvents.filter((event) => event.name === 'PipelineReporter' && event.ph === 'b' && !event.args?.chrome_frame_reporter).map(key));
  saved.traceEvents = saved.traceEvents.filter((event) => !(event.name === 'PipelineReporter' && unreadable.has(key(event))));
  writeFileSync(traceFile, JSON.stringify(saved));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/**
 * Static Web Apps compresses what it serves; the CLI does not. This proxy in front of it brotli-
 * compresses text answers (quality 5, about what a CDN does on the fly) so Lighthouse sees the
 * bytes a shopper's browser would.
 */
function compressingProxy(target: string): Promise<Server> {
  const upstream = new URL(target);
  const server = createServer((incoming, outgoing) => {
    const forwarded = request(
      { host: upstream.hostname, port: upstream.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: upstream.host, 'accept-encoding': 'identity' } },
      (answer: IncomingMessage) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          let body = Buffer.concat(chunks);
          const headers = { ...answer.headers };
          const text = /text|javascript|json|svg|xml/.test(String(headers['content-type']));
          if (text && body.length > 0 && /\bbr\b/.test(String(incoming.headers['accept-encoding']))) {
            body = brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } });
            headers['content-encoding'] = 'br';
            headers.vary = 'Accept-Encoding';
          }
          delete headers['transfer-encoding'];
          headers['content-length'] = String(body.length);
          outgoing.writeHead(answer.statusCode ?? 502, headers);
          outgoing.end(body);
        });
      },
    );
    forwarded.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(forwarded);
  });
  return new Promise((ready) => server.listen(0, '127.0.0.1', () => ready(server)));
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The five pages, with a product from the seeded catalog and a guest order placed for the order page. */
async function visits(stack: RunningStack): Promise<Visit[]> {
  const { items } = await json<{ items: Array<{ id: string; price: number }> }>(await fetch(`${stack.base}/api/products`));
  const product = items[0]!;
  const order = await json<{ orderId: string }>(
    await fetch(`${stack.base}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        items: [{ productId: product.id, quantity: 1 }],
        customer: { name: 'Ada Shopper', email: 'ada@example.com' },
        shipping: { name: 'Ada Shopper', street: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'United Kingdom' },
      }),
    }),
  );
  const employee = { identityProvider: 'aad', userId: 'bench-admin', userDetails: 'kim@example.com', userRoles: ['anonymous', 'authenticated', 'admin'], claims: [] };
  return [
    { name: 'catalog /', path: '/', storefront: true },
    { name: 'product page', path: `/product/${product.id}`, storefront: true },
    { name: 'cart, one item', path: '/cart', storefront: true, localStorage: { 'bestbuy.cart': JSON.stringify([{ productId: product.id, quantity: 1 }]) } },
    { name: 'order page', path: `/orders/${order.orderId}`, storefront: true },
    { name: 'admin overview', path: '/admin', storefront: false, cookie: { name: 'StaticWebAppsAuthCookie', value: Buffer.from(JSON.stringify(employee)).toString('base64') } },
  ];
}

/**
 * The scripts the browser fetches to show the catalog (entry, its imports, any chunk the entry
 * loads at once), as site paths: what the first-load budget counts, in place of reading imports.
 */
async function catalogScripts(browser: Browser, base: string): Promise<string[]> {
  const page = await browser.newPage();
  try {
    const scripts = new Set<string>();
    page.on('response', (response) => {
      const url = new URL(response.url());
      if (url.origin === base && response.request().resourceType() === 'script') scripts.add(url.pathname);
    });
    await page.goto(`${base}/`, { waitUntil: 'networkidle0' });
    await page.waitForSelector('.grid .card');
    return [...scripts].sort();
  } finally {
    await page.close();
  }
}

/**
 * One cold Lighthouse run: the browser's cache and the site's storage cleared first, then what the
 * visit needs put back, so the cart and the sign-in survive Lighthouse's own reset being off.
 */
async function runOnce(browser: Browser, port: number, base: string, visit: Visit, preset: Preset) {
  const page = await browser.newPage();
  const artifacts = mkdtempSync(join(tmpdir(), 'bestbuy-lighthouse-'));
  try {
    const cdp = await page.createCDPSession();
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Storage.clearDataForOrigin', { origin: base, storageTypes: 'all' });
    if (visit.localStorage) {
      await page.goto(`${base}/robots.txt`);
      await page.evaluate((entries) => {
        for (const [key, value] of Object.entries(entries)) (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(key, value);
      }, visit.localStorage);
    }
    if (visit.cookie) await page.setCookie({ ...visit.cookie, url: base });
    const flags: Flags = { port, output: 'json', logLevel: 'error', onlyCategories: [...CATEGORIES], disableStorageReset: true };
    const config: Config | undefined = preset === 'desktop' ? desktopConfig : undefined;
    const url = `${base}${visit.path}`;
    await lighthouse(url, { ...flags, gatherMode: artifacts }, config, page);
    dropUnreadablePipelineEvents(join(artifacts, 'defaultPass.trace.json'));
    const result = await lighthouse(url, { ...flags, auditMode: artifacts }, config);
    if (!result) throw new Error(`Lighthouse gave no result for ${visit.path}`);
    const { lhr } = result;
    if (lhr.runtimeError) throw new Error(`Lighthouse on ${visit.path}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    const scores = Object.fromEntries(CATEGORIES.map((id) => [id, Math.round((lhr.categories[id]?.score ?? 0) * 100)])) as Record<Category, number>;
    const failing = Object.values(lhr.audits).filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative' && audit.scoreDisplayMode !== 'manual');
    // An audit that could not run says so, rather than passing unseen.
    const errored = Object.values(lhr.audits).filter((audit) => audit.errorMessage).map((audit) => `${audit.id} (error: ${audit.errorMessage!.slice(0, 80)})`);
    return { scores, cls: Number(lhr.audits['cumulative-layout-shift']?.numericValue ?? 0), failing: [...failing.map((audit) => audit.id), ...errored] };
  } finally {
    await page.close();
    rmSync(artifacts, { recursive: true, force: true });
  }
}

/** Lighthouse now and then fails to record a trace on a busy machine (NO_NAVSTART): such a run is tried again, twice at most. */
async function runWithRetry<T>(run: () => Promise<T>, say: (message: string) => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt === 3) throw error;
      say(`  run failed (${(error as Error).message}); again`);
    }
  }
}

/**
 * Lighthouse on the store's five pages as `npm start` serves them (the Static Web Apps CLI, the
 * local host, the seeded catalog), behind a compressing proxy: RUNS cold runs per page and preset,
 * their medians. LIGHTHOUSE_PAGES=catalog,cart limits the pages (names' first words).
 */
export async function lighthouseScores(say: (message: string) => void): Promise<{ pages: PageScores[]; catalogScripts: string[] }> {
  const stack = await startStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  let proxy: Server | undefined;
  let chrome: LaunchedChrome | undefined;
  try {
    proxy = await compressingProxy(stack.base);
    const base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    chrome = await launch({ chromePath: CHROMIUM, chromeFlags: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
    const only = process.env.LIGHTHOUSE_PAGES?.split(',').map((name) => name.trim().toLowerCase());
    const chosen = (await visits(stack)).filter((visit) => !only || only.some((name) => visit.name.startsWith(name)));
    const scripts = await catalogScripts(browser, base);
    const results: PageScores[] = [];
    for (const visit of chosen) {
      for (const preset of PRESETS) {
        const runs: Array<Awaited<ReturnType<typeof runOnce>>> = [];
        for (let run = 1; run <= RUNS; run++) {
          say(`Lighthouse ${visit.name}, ${preset}, run ${run} of ${RUNS}…`);
          runs.push(await runWithRetry(() => runOnce(browser, chrome!.port, base, visit, preset), say));
        }
        const failing = [...new Set(runs.flatMap((run) => run.failing))];
        if (failing.length > 0) say(`  ${visit.name} ${preset}: audits below 90 in some run: ${failing.join(', ')}`);
        say(`  ${visit.name} ${preset}: performance ${runs.map((run) => run.scores.performance).join(' / ')}, CLS ${runs.map((run) => run.cls.toFixed(3)).join(' / ')}`);
        results.push({
          page: visit.name,
          preset,
          scores: Object.fromEntries(CATEGORIES.map((id) => [id, median(runs.map((run) => run.scores[id]))])) as Record<Category, number>,
          cls: median(runs.map((run) => run.cls)),
          performanceRuns: runs.map((run) => run.scores.performance),
        });
      }
    }
    await browser.disconnect();
    return { pages: results, catalogScripts: scripts };
  } finally {
    chrome?.kill();
    proxy?.close();
    await stack.stop();
    rmSync(stack.dataDir, { recursive: true, force: true });
  }
}

/** The issue's targets: what each page must reach, per score. */
export function targetsFor(page: string): { performance: number; seo?: number } {
  return page.startsWith('admin') ? { performance: 90 } : { performance: 95, seo: 95 };
}

const MAX_CLS = 0.02;

/** One bench row per page and preset: the medians against every target at once, the worst margin deciding. */
export function lighthouseRows(results: readonly PageScores[]): Row[] {
  return results.map(({ page, preset, scores, cls, performanceRuns }) => {
    const target = targetsFor(page);
    const margins = [
      atLeast(scores.performance, target.performance),
      atMost(cls, MAX_CLS),
      atLeast(scores.accessibility, 100),
      atLeast(scores['best-practices'], 100),
      ...(target.seo === undefined ? [] : [atLeast(scores.seo, target.seo)]),
    ];
    return {
      measure: `Lighthouse ${page}, ${preset}`,
      result: `perf ${scores.performance}, CLS ${cls.toFixed(3)}, a11y ${scores.accessibility}, BP ${scores['best-practices']}, SEO ${scores.seo}`,
      target: `perf >= ${target.performance}, CLS <= ${MAX_CLS}, a11y 100, BP 100${target.seo === undefined ? '' : `, SEO >= ${target.seo}`}`,
      margin: Math.min(...margins),
      how: `median of ${performanceRuns.length} cold runs (perf ${performanceRuns.join(' / ')}), Lighthouse ${preset} preset, Debian Chromium headless, npm start's stack behind a brotli proxy`,
    };
  });
}
