import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AZURE_SETTINGS, azureFunctionsEntry, azurePackage, importTimesMs } from './coldStart.js';
import { catalogLoad, CATALOG_PRODUCTS, DISTINCT_PAGES, PAGING_CLIENTS, SEARCH_CLIENTS, type CatalogLoadResult } from './catalogLoad.js';
import { catalog, CPU_RATE_PER_SECOND, intakeCpu, orderIntake, referenceCpu, referenceServer, WARM_UP_SECONDS } from './intake.js';
import { pipeline } from './pipeline.js';
import { roundTripRows } from './roundTrips.js';
import { durableCommitMs } from './fsync.js';
import { gzipBytes, storefrontSize } from './storefrontSize.js';
import { lighthouseRows, lighthouseScores } from './lighthouse.js';
import { atLeast, atMost, printTable, type Row } from './table.js';
import { unitsOneClientTakes } from './abuse.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const BARE_SCRIPT = resolve(fileURLToPath(new URL('./bareServer.js', import.meta.url)));
const BARE_DURABLE_SCRIPT = resolve(fileURLToPath(new URL('./bareDurableServer.js', import.meta.url)));
const round = (value: number) => Math.round(value).toLocaleString('en-US');

/** Issue #24's catalog rows: a new visitor's product GET under searches and paging, and RSS after distinct pages. */
function catalogLoadRows(result: CatalogLoadResult): Row[] {
  const target = 3 * result.idle.p99Ms;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const probe = `p99 of one-at-a-time GET /api/products/{id} on a new connection each (Connection: close), ${SECONDS} s, ${CATALOG_PRODUCTS.toLocaleString('en-US')} products, RATE_LIMITS=off`;
  const rows: Row[] = [
    { measure: 'product GET p99, idle', result: `${ms(result.idle.p99Ms)} (${result.idle.samples} GETs)`, how: probe },
    {
      measure: `product GET p99, ${SEARCH_CLIENTS} clients searching`,
      result: `${ms(result.searching.p99Ms)} (${result.searching.samples} GETs, ${result.searching.timeouts} timed out; ${result.searching.searches.toLocaleString('en-US')} searches)`,
      target: `<= 3 × idle = ${ms(target)}`,
      margin: atMost(result.searching.p99Ms, target),
      how: `the same while ${SEARCH_CLIENTS} keep-alive clients send random 1-3 word searches (words and prefixes of the catalog's vocabulary)`,
    },
    {
      measure: `product GET p99, ${PAGING_CLIENTS} clients paging`,
      result: `${ms(result.paging.p99Ms)} (${result.paging.samples} GETs, ${result.paging.timeouts} timed out; about ${result.paging.pages.toLocaleString('en-US')} pages)`,
      target: `<= 3 × idle = ${ms(target)}`,
      margin: atMost(result.paging.p99Ms, target),
      how: `the same while ${PAGING_CLIENTS} keep-alive clients page through the whole catalog by nextCursor, 24 a page, again and again`,
    },
  ];
  const { rss } = result;
  rows.push(rss
    ? {
        measure: `host RSS after ${DISTINCT_PAGES.toLocaleString('en-US')} distinct pages`,
        result: `${rss.afterMb.toFixed(0)} MB (idle ${rss.idleMb.toFixed(0)} MB)`,
        target: `<= idle + cache bound = ${(rss.idleMb + rss.cacheMb).toFixed(0)} MB`,
        margin: atMost(rss.afterMb, rss.idleMb + rss.cacheMb),
        how: `a fresh host on the same file, VmRSS after 20 searches × 50 page sizes (51-100 products a page), CATALOG_CACHE_MB=${rss.cacheMb}`,
      }
    : { measure: 'host RSS after distinct pages', result: 'not measured', how: 'needs /proc (Linux)' });
  return rows;
}

const say = (message: string) => console.error(`bench: ${message}`);

/**
 * The pages' rows: what the storefront's first load weighs (the scripts a browser fetched to show
 * the catalog, gzipped from web/dist), and Lighthouse on five pages.
 */
async function webRows(): Promise<Row[]> {
  const storefront = await storefrontSize('web/dist');
  const { pages, catalogScripts } = await lighthouseScores(say);
  const jsGzipBytes = gzipBytes('web/dist', catalogScripts);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(2)} KB`;
  return [
    { measure: 'storefront first-load JS (gzip)', result: kb(jsGzipBytes), target: '<= 15 KB', margin: (15 * 1024 - jsGzipBytes) / (15 * 1024), how: `the ${catalogScripts.length} script(s) Chromium fetched to show the catalog (${catalogScripts.join(', ')}), each gzip -9 from web/dist` },
    { measure: 'storefront first-load CSS (gzip)', result: kb(storefront.cssGzipBytes), target: '<= 5 KB', margin: (5 * 1024 - storefront.cssGzipBytes) / (5 * 1024), how: 'stylesheets index.html links, gzip -9' },
    { measure: 'largest product image', result: kb(storefront.largestImageBytes), target: '<= 10 KB', margin: (10 * 1024 - storefront.largestImageBytes) / (10 * 1024), how: 'web/dist/images' },
    ...lighthouseRows(pages),
  ];
}

/** What one anonymous client takes in `seconds` of trying, against what the limits allow it. */
async function abuseRows(say: (message: string) => void): Promise<Row[]> {
  say(`one anonymous client taking stock, ${SECONDS} s…`);
  const taken = await unitsOneClientTakes(SECONDS);
  const statuses = Object.entries(taken.statusCounts).map(([status, count]) => `${round(count)} × ${status}`).join(', ');
  return [
    {
      measure: `units one anonymous client takes in ${SECONDS} s`,
      result: `${round(taken.units)} units`,
      target: `<= ${round(taken.allowed)} (its limit)`,
      margin: atMost(taken.units, taken.allowed),
      how: `16 connections from one address POST /api/orders at the caps, limits on (${taken.limits}); stock gone from the store after the run; answers ${statuses}`,
    },
  ];
}

async function main(): Promise<void> {
  // BENCH_ONLY=web (npm run bench:web): the pages' rows alone.
  if (process.env.BENCH_ONLY === 'web') return printTable(await webRows());
  const rows: Row[] = [];
  // BENCH_ONLY=abuse: the rate limit row alone.
  if (process.env.BENCH_ONLY === 'abuse') return printTable(await abuseRows(say));

  // BENCH_ONLY=catalog: issue #24's catalog rows alone.
  if (process.env.BENCH_ONLY === 'catalog') {
    say(`catalog under searches and paging, ${SECONDS} s each…`);
    return printTable(catalogLoadRows(await catalogLoad(SECONDS)));
  }

  const commitMs = durableCommitMs();
  rows.push({
    measure: 'one durable commit (fsync)',
    result: `${commitMs.toFixed(2)} ms`,
    how: `median of 300 one-row commits, WAL + synchronous=FULL; 16 connections can then get at most ${round(16 / (2 * commitMs) * 1000)} orders/s through two commits each`,
  });

  say(`order intake, paid in the same call, ${SECONDS} s…`);
  const intake = await orderIntake(SECONDS);
  say(`order intake, unpaid (the baseline without the payment step), ${SECONDS} s…`);
  const unpaid = await orderIntake(SECONDS, false);
  say(`bare durable node:http + SQLite server, ${SECONDS} s…`);
  const durable = await referenceServer(BARE_DURABLE_SCRIPT, SECONDS);
  say(`bare node:http server, ${SECONDS} s…`);
  const bare = await referenceServer(BARE_SCRIPT, SECONDS);
  const durableShare = intake.requestsPerSecond / durable.requestsPerSecond;
  const load = `autocannon -c 16 -d ${SECONDS}`;
  const how = `${load} POST /api/orders on the local host (SQLite WAL, synchronous=FULL)`;
  const keptPace = intake.backlogAtEnd / intake.requestsPerSecond;
  rows.push(
    { measure: 'order intake', result: `${round(intake.requestsPerSecond)} orders/s`, target: `>= ${round(durable.requestsPerSecond / 2)}/s`, margin: atLeast(durableShare, 0.5), how: `${how}; target half the bare durable server's` },
    { measure: 'order intake p50 / p99', result: `${intake.p50Ms} / ${intake.p99Ms} ms`, target: 'p99 <= 10 ms', margin: atMost(intake.p99Ms, 10), how },
    { measure: "orders 202'd / stored once", result: `${round(intake.accepted)} / ${round(intake.storedOnce)}`, target: 'all', margin: intake.storedOnce === intake.accepted ? 0 : -1, how: "every 202'd orderId distinct and in store.db exactly once after the run" },
    { measure: 'makeline behind intake at its end', result: `${round(intake.backlogAtEnd)} received, all pending ${intake.drainSeconds.toFixed(2)} s later`, target: '<= 1 s of intake', margin: atMost(keptPace, 1), how: 'orders still received when the load stopped, over intake per second' },
    { measure: 'bare durable node:http + SQLite', result: `${round(durable.requestsPerSecond)} req/s, p99 ${durable.p99Ms} ms`, how: `${load} against bench/bareDurableServer.ts: parse, one group-committed insert (WAL, synchronous=FULL), 202 after commit` },
    { measure: 'bare node:http (parse JSON, 202)', result: `${round(bare.requestsPerSecond)} req/s, p99 ${bare.p99Ms} ms`, how: `${load} against bench/bareServer.ts` },
    { measure: 'order intake, unpaid (baseline)', result: `${round(unpaid.requestsPerSecond)} orders/s, p50 / p99 ${unpaid.p50Ms} / ${unpaid.p99Ms} ms`, how: `${load} POST /api/orders without payment: stored awaiting payment and its stock held, as every order is first` },
    { measure: 'payment step: paid / unpaid intake', result: `${((intake.requestsPerSecond / unpaid.requestsPerSecond) * 100).toFixed(1)}%, p99 ${intake.p99Ms - unpaid.p99Ms >= 0 ? '+' : ''}${(intake.p99Ms - unpaid.p99Ms).toFixed(1)} ms`, how: 'the two intake rows, same run: the demo provider\'s charge (a ledger write) and the write of its outcome' },
    { measure: 'intake / bare durable (/ bare)', result: `${(durableShare * 100).toFixed(1)}% (${((intake.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(1)}%)`, target: '>= 50%', margin: atLeast(durableShare, 0.5), how: 'ratios of the rows above, same run' },
  );

  say(`CPU per order at ${round(CPU_RATE_PER_SECOND)} orders/s offered, ${SECONDS} s each…`);
  const intakeCpuMs = await intakeCpu(SECONDS);
  const durableCpuMs = await referenceCpu(BARE_DURABLE_SCRIPT, SECONDS);
  const cpuHow = `autocannon -c 16 -R ${CPU_RATE_PER_SECOND} -d ${SECONDS} after ${WARM_UP_SECONDS} s of warm-up; CPU time from /proc/<pid>/task over 202s answered`;
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  if (intakeCpuMs && durableCpuMs) {
    rows.push(
      { measure: 'intake CPU per order: main thread / other threads', result: `${ms(intakeCpuMs.mainMs)} / ${ms(intakeCpuMs.otherThreadsMs)}`, how: `${cpuHow}; the other threads are the makeline's worker and V8's` },
      { measure: 'bare durable CPU per order: main / other', result: `${ms(durableCpuMs.mainMs)} / ${ms(durableCpuMs.otherThreadsMs)}`, how: `the same against bench/bareDurableServer.ts; intake's main thread takes ${(intakeCpuMs.mainMs / durableCpuMs.mainMs).toFixed(1)} × its time` },
    );
  } else {
    rows.push({ measure: 'CPU per order', result: 'not measured', how: 'needs /proc (Linux)' });
  }
  // BENCH_ONLY=intake: the rows above alone, to iterate on the order path quickly.
  if (process.env.BENCH_ONLY === 'intake') return printTable(rows);

  say('pipeline, 10,000 orders…');
  const drained = await pipeline(10_000);
  rows.push({
    measure: 'pipeline received -> pending',
    result: `${round(drained.ordersPerSecond)} orders/s (${drained.seconds.toFixed(2)} s)`,
    target: '>= 5,000/s',
    margin: atLeast(drained.ordersPerSecond, 5_000),
    how: '10,000 orders stored as received with their messages queued; local host started; until all pending',
  });

  rows.push(...(await abuseRows(say)));

  say('calls per order on the order path…');
  rows.push(...(await roundTripRows()));

  say(`catalog, ${SECONDS} s twice…`);
  const { plain, conditional } = await catalog(SECONDS);
  rows.push(
    { measure: 'catalog GET /api/products', result: `${round(plain.requestsPerSecond)} req/s, p99 ${plain.p99Ms} ms`, target: '>= 15,000/s', margin: atLeast(plain.requestsPerSecond, 15_000), how: `autocannon -c 16 -d ${SECONDS}, 16 seeded products` },
    { measure: 'catalog with If-None-Match (304)', result: `${round(conditional.requestsPerSecond)} req/s, p99 ${conditional.p99Ms} ms`, target: '>= 15,000/s', margin: atLeast(conditional.requestsPerSecond, 15_000), how: 'same, sending the ETag it answered' },
  );

  say(`catalog under searches and paging, ${SECONDS} s each…`);
  rows.push(...catalogLoadRows(await catalogLoad(SECONDS)));

  rows.push(...(await webRows()));

  say('cold start: packaging the Function App…');
  const azure = azurePackage();
  try {
    const [functionsMs, packageMs, enrichmentMs, unbundledMs] = importTimesMs([
      { file: azureFunctionsEntry },
      { file: azure.entry, env: AZURE_SETTINGS },
      { file: azure.entry, env: { ...AZURE_SETTINGS, ENRICHMENT_ENABLED: 'true' } },
      { file: 'dist/index.js', env: AZURE_SETTINGS },
    ] as const);
    const times = (ms: number) => `${ms.toFixed(0)} ms = ${(ms / functionsMs).toFixed(2)} × @azure/functions`;
    const zippedMb = azure.zippedBytes / 1024 / 1024;
    rows.push(
      { measure: 'Function App package (zipped)', result: `${zippedMb.toFixed(2)} MB`, target: '<= 10 MB', margin: atMost(zippedMb, 10), how: 'npm run package:api (Rolldown bundle, no node_modules) into a temp folder, zip -r' },
      { measure: '@azure/functions import alone', result: `${functionsMs.toFixed(0)} ms`, how: 'the reference: median of 9 fresh `node -e import("@azure/functions")`' },
      { measure: 'package import (cold start)', result: times(packageMs), target: '<= 1.3 ×', margin: atMost(packageMs / functionsMs, 1.3), how: 'median of 9 fresh imports of the package\'s index.js, STORE_ADAPTERS=azure, settings that connect nowhere; in turns with the reference' },
      { measure: 'same, bulk enrichment on', result: times(enrichmentMs), how: 'ENRICHMENT_ENABLED=true: the durable-functions chunk loads and registers the orchestration' },
      { measure: 'unbundled dist/index.js import', result: times(unbundledMs), how: 'the local build tsc writes, for comparison' },
    );
  } finally {
    azure.remove();
  }

  printTable(rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
