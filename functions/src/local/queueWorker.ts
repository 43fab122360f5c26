import { parentPort, workerData } from 'node:worker_threads';
import { readConfig } from '../config.js';
import { systemClock } from '../composition.js';
import { createEmbeddedServices } from '../adapters/embedded/services.js';
import { definitions, type QueueDefinition } from '../definitions.js';
import { setLogLevel } from './logger.js';
import { QueuePump } from './queuePump.js';

/** What the host tells this worker; the host's side is in host.ts. */
export interface QueueWorkerData {
  /** The queue-triggered functions to run here, by name. */
  names: string[];
  concurrency: number;
}

/** Host → worker: another connection sent a message, or the host is stopping. */
export type ToQueueWorker = 'sent' | 'stop';

/**
 * The queue-triggered functions (the makeline) in a thread of their own, as they run in a Function
 * App instance of their own on Azure: the settings of the same environment, its own connection to
 * the same SQLite file (WAL lets it read beside the host's writer; writes wait their turn under
 * busy_timeout), and only the queue in common with the order intake on the host's thread.
 */
async function main(port: NonNullable<typeof parentPort>, { names, concurrency }: QueueWorkerData): Promise<void> {
  const config = readConfig();
  setLogLevel(config.local.logLevel);
  // Everything this connection writes is redone from the queue if a power cut takes it: no fsync of its own.
  const services = createEmbeddedServices(config, systemClock, { redoneFromQueue: true });
  const pumps = definitions
    .filter((definition): definition is QueueDefinition => definition.kind === 'serviceBusQueue' && names.includes(definition.name))
    .map((definition) => new QueuePump(definition, services.embeddedQueue, services, concurrency));
  port.on('message', (message: ToQueueWorker) => {
    if (message === 'sent') services.embeddedQueue.wakeReceivers();
    else if (message === 'stop') {
      void Promise.all(pumps.map((pump) => pump.stop()))
        .then(() => services.close())
        .finally(() => port.close());
    }
  });
  port.postMessage('ready');
}

if (parentPort) await main(parentPort, workerData as QueueWorkerData);
