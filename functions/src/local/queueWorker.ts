import { parentPort, workerData } from 'node:worker_threads';
import { readConfig } from '../config.js';
import { createLocalServices, systemClock } from '../composition.js';
import { definitions, type QueueDefinition } from '../definitions.js';
import { setLogLevel } from './logger.js';
import { QueuePump } from './queuePump.js';

/** What the host tells this worker; the host's side is in host.ts. */
export interface QueueWorkerData {
  /** The queue-triggered functions to run here, by name. */
  names: string[];
  concurrency: number;
  /** Two Int32s: the host counts its sends in the first; the worker keeps the count it has seen in the second. */
  sends: Int32Array;
}

/** Host → worker: the host is stopping. */
export type ToQueueWorker = 'stop';

/** Atomics.waitAsync (Node 16 on), which TypeScript's ES2022 library does not declare. */
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number): { async: false } | { async: true; value: Promise<unknown> };
}).waitAsync;

/** Wakes the worker's queue receivers whenever the host counts a send, until `running` says stop. */
async function relaySends(sends: Int32Array, wakeReceivers: () => void, running: () => boolean): Promise<void> {
  while (running()) {
    const seen = Atomics.load(sends, 0);
    Atomics.store(sends, 1, seen);
    wakeReceivers();
    const wait = waitAsync(sends, 0, seen);
    if (wait.async) await wait.value;
  }
}

/**
 * The queue-triggered functions (the makeline) in a thread of their own, as they run in a Function
 * App instance of their own on Azure: the settings of the same environment (as a second instance
 * reads the same app settings), its own connection to the same SQLite file (WAL lets it read
 * beside the host's writer; the two take turns for the one write lock), and only the queue in
 * common with the order intake on the host's thread.
 */
async function main(port: NonNullable<typeof parentPort>, { names, concurrency, sends }: QueueWorkerData): Promise<void> {
  const config = readConfig();
  setLogLevel(config.local.logLevel);
  // Everything this connection writes is redone from the queue if a power cut takes it: no fsync of its own.
  const services = await createLocalServices(config, systemClock, { redoneFromQueue: true });
  const pumps = definitions
    .filter((definition): definition is QueueDefinition => definition.kind === 'serviceBusQueue' && names.includes(definition.name))
    .map((definition) => new QueuePump(definition, services.embeddedQueue, services, concurrency));
  let running = true;
  const relay = relaySends(sends, () => services.embeddedQueue.wakeReceivers(), () => running);
  port.on('message', (message: ToQueueWorker) => {
    if (message !== 'stop') return;
    running = false;
    Atomics.notify(sends, 0); // ends the relay's wait
    void Promise.all([relay, ...pumps.map((pump) => pump.stop())])
      .then(() => services.close())
      .finally(() => port.close());
  });
  port.postMessage('ready');
}

if (parentPort) await main(parentPort, workerData as QueueWorkerData);
