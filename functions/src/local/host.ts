import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { readConfig, type Config } from '../config.js';
import { createLocalServices, systemClock } from '../composition.js';
import { seedCatalogOnStart } from '../app/seedCatalog.js';
import {
  definitions as allDefinitions,
  refusedByAzure,
  type FunctionDefinition,
  type ActivityDefinition,
  type HttpDefinition,
  type OrchestrationDefinition,
  type QueueDefinition,
  type TimerDefinition,
} from '../definitions.js';
import { createApiServer } from './httpServer.js';
import { consoleLogger, setLogLevel } from './logger.js';
import type { EmbeddedQueue } from '../adapters/embedded/queue.js';
import type { QueueWorkerData, ToQueueWorker } from './queueWorker.js';
import { startTimers } from './timers.js';
import { LocalEnrichmentEngine } from './enrichmentEngine.js';
import type { EmbeddedServices } from '../adapters/embedded/services.js';

export interface LocalHost {
  url: string;
  close(): Promise<void>;
}

/** The makeline's concurrency comes from host.json, as it does under the Functions host. */
function maxConcurrentCalls(): number {
  try {
    const hostJson = JSON.parse(readFileSync('host.json', 'utf8')) as {
      extensions?: { serviceBus?: { maxConcurrentCalls?: number } };
    };
    return hostJson.extensions?.serviceBus?.maxConcurrentCalls ?? 16;
  } catch {
    return 16;
  }
}

/**
 * Tells the queue worker the host's connection made a message ready: far cheaper than a
 * postMessage per send. Counts in slot 0; notifies only when the worker has seen every count
 * before this one (slot 1), as it is awake otherwise and will see this one too.
 */
function wakeWorker(sends: Int32Array): void {
  if (Atomics.add(sends, 0, 1) === Atomics.load(sends, 1)) Atomics.notify(sends, 0);
}

/** How long after an unexpected end the queue worker is started again. */
const QUEUE_WORKER_RESTART_MS = 1_000;

/**
 * Runs the queue-triggered functions in a worker thread (queueWorker.ts), as Azure runs the
 * makeline in an instance of its own: the host's thread is left to the HTTP intake. The worker
 * polls the queue, and a send on the host's connection wakes it at once. It reads its settings
 * from the environment, so the host's config must be the environment's. A worker that dies is
 * started again, and it ends with the host: at stop() or with the process.
 */
async function startQueueWorker(queue: EmbeddedQueue, data: Omit<QueueWorkerData, 'sends'>): Promise<{ stop(): Promise<void> }> {
  const log = consoleLogger('host');
  let stopping = false;
  let running: { worker: Worker; exited: Promise<void> } | undefined;
  const sends = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
  const start = () =>
    new Promise<void>((ready, fail) => {
      const worker = new Worker(new URL('./queueWorker.js', import.meta.url), { workerData: { ...data, sends } satisfies QueueWorkerData });
      let started = false;
      const exited = new Promise<void>((done) =>
        worker.once('exit', (code) => {
          running = undefined;
          done();
          if (!started) return fail(new Error(`the queue worker ended (${code}) before it was ready`));
          if (stopping) return;
          log.error(`the queue worker ended (${code}); starting it again in ${QUEUE_WORKER_RESTART_MS} ms`);
          setTimeout(() => {
            if (!stopping) start().catch((error: unknown) => log.error('the queue worker could not start again', error));
          }, QUEUE_WORKER_RESTART_MS);
        }),
      );
      running = { worker, exited };
      worker.on('error', (error) => log.error('the queue worker failed', error));
      worker.once('message', () => {
        started = true;
        ready();
      });
    });
  await start();
  const unsubscribe = queue.onSent(() => wakeWorker(sends));
  return {
    async stop() {
      stopping = true;
      unsubscribe();
      if (!running) return;
      running.worker.postMessage('stop' satisfies ToQueueWorker);
      await running.exited;
    },
  };
}

const ofKind = <K extends FunctionDefinition['kind']>(list: readonly FunctionDefinition[], kind: K) =>
  list.filter((definition): definition is Extract<FunctionDefinition, { kind: K }> => definition.kind === kind);

/**
 * No Durable Task engine here: the orchestration and its activities run on the local engine
 * instead, which HTTP handlers reach as runtime.enrichment, as they reach the durable client on Azure.
 */
async function startLocalEnrichment(definitions: readonly FunctionDefinition[], services: EmbeddedServices): Promise<LocalEnrichmentEngine | null> {
  const [orchestration] = ofKind(definitions, 'orchestration') as OrchestrationDefinition[];
  if (!orchestration) return null;
  const activities = ofKind(definitions, 'activity') as ActivityDefinition[];
  const engine = new LocalEnrichmentEngine(services.enrichmentJobs, orchestration, activities, services, consoleLogger('enrichment'));
  await engine.recover();
  return engine;
}

/**
 * Runs the whole Functions app on one machine with the embedded adapters (or, with
 * STORE_ADAPTERS=mongo, the MongoDB stores): HTTP routes under /api, the embedded queue driven
 * into the makeline, and the timers on their schedules.
 */
export async function startLocalHost(
  config: Config,
  definitions: readonly FunctionDefinition[] = allDefinitions,
): Promise<LocalHost> {
  const refusals = definitions.map(refusedByAzure).filter((refusal) => refusal !== null);
  if (refusals.length > 0) throw new Error(`Azure would refuse these functions: ${refusals.join('; ')}`);

  setLogLevel(config.local.logLevel);
  const services = await createLocalServices(config, systemClock, { catalogThread: true });
  const log = consoleLogger('host');
  const ai = services.content.capabilities();
  const feature = (name: string, { available, reason }: { available: boolean; reason?: string }) =>
    available ? `${name} on` : `${name} off (${reason})`;
  log.info(
    ai.provider === 'off'
      ? `AI help is off: ${ai.description.reason}`
      : `AI help through ${ai.provider}: ${feature('descriptions', ai.description)}, ${feature('images', ai.image)}`,
  );
  await seedCatalogOnStart(services, log);

  const queueFunctions = ofKind(definitions, 'serviceBusQueue').map((definition: QueueDefinition) => definition.name);
  const queueWorker = queueFunctions.length > 0 ? await startQueueWorker(services.embeddedQueue, { names: queueFunctions, concurrency: maxConcurrentCalls() }) : null;
  const timers = startTimers(ofKind(definitions, 'timer') as TimerDefinition[], services);
  const enrichment = await startLocalEnrichment(definitions, services);
  const server = createApiServer(ofKind(definitions, 'http') as HttpDefinition[], config.local, services, enrichment ? { enrichment } : {});
  await new Promise<void>((resolve) => server.listen(config.local.port, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await timers.stop();
      await enrichment?.stop();
      await queueWorker?.stop();
      await services.close();
    },
  };
}

/** Starts the host from the environment and stops it cleanly on Ctrl-C or SIGTERM. */
export async function runFromEnvironment(): Promise<LocalHost> {
  const log = consoleLogger('host');
  const host = await startLocalHost(readConfig());
  console.log(`BestBuy Store API listening on ${host.url}/api`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal}: stopping`);
    host.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('stopping failed', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return host;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  runFromEnvironment().catch((error: unknown) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
