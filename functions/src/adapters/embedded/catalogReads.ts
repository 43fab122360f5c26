import Database from 'better-sqlite3';
import { Worker } from 'node:worker_threads';
import type { ProductQuery } from '../../ports.js';
import { readCatalog, type CatalogRead } from './catalogQuery.js';
import { asStoreError, type SqliteFile } from './database.js';
import { Turns } from './turns.js';

/** Where the product store reads the catalog pages it has not cached. */
export interface CatalogReads {
  read(query: ProductQuery, withTotal: boolean): Promise<CatalogRead>;
  close(): Promise<void>;
}

/**
 * On the store's own connection, each read in a turn of its own (turns.ts): for the queue worker,
 * `func start`, tests and tools, which serve no crowd of shoppers and would only pay for a thread.
 */
export function readsOnTheFile(file: SqliteFile): CatalogReads {
  const turns = new Turns();
  return {
    async read(query, withTotal) {
      await turns.take();
      return readCatalog(file, query, withTotal);
    },
    async close() {},
  };
}

export interface CatalogThreadRequest {
  id: number;
  query: ProductQuery;
  withTotal: boolean;
}

export type CatalogThreadReply = { id: number; read: CatalogRead } | { id: number; failure: { message: string; code?: string } };

interface Waiting {
  resolve(read: CatalogRead): void;
  reject(error: unknown): void;
}

/**
 * In a worker thread with a read-only connection of its own (catalogThread.ts): the local host's.
 * SQLite answers synchronously, so a search on the host's thread holds up every request behind
 * it; off it, a visitor's product GET is answered while the searches run beside it, as Cosmos DB's
 * queries run off the Function App's thread on Azure. The thread starts on the first read; one that
 * ends fails the reads it had and the next read starts another. `threadScript` is for tests, which
 * run the sources while only the build's thread script can run in a worker.
 */
export function readsInAThread(databaseFile: string, threadScript = new URL('./catalogThread.js', import.meta.url)): CatalogReads {
  let worker: Worker | undefined;
  let nextId = 0;
  const waiting = new Map<number, Waiting>();

  const failAll = (error: unknown) => {
    for (const { reject } of waiting.values()) reject(error);
    waiting.clear();
  };
  const start = () => {
    const started = new Worker(threadScript, { workerData: { databaseFile } });
    started.unref();
    started.on('message', (reply: CatalogThreadReply) => {
      const asked = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('read' in reply) return asked?.resolve(reply.read);
      const { message, code } = reply.failure;
      asked?.reject(code ? asStoreError(new Database.SqliteError(message, code)) : new Error(message));
    });
    started.on('error', (error) => failAll(error));
    started.once('exit', (code) => {
      if (worker === started) worker = undefined;
      failAll(new Error(`the catalog thread ended (${code})`));
    });
    return started;
  };

  return {
    read(query, withTotal) {
      worker ??= start();
      const id = nextId++;
      const asked = worker;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        asked.postMessage({ id, query, withTotal } satisfies CatalogThreadRequest);
      });
    },
    async close() {
      const stopping = worker;
      worker = undefined;
      await stopping?.terminate();
    },
  };
}
