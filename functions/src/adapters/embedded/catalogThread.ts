import Database from 'better-sqlite3';
import { constants, setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { readCatalog } from './catalogQuery.js';
import type { CatalogThreadReply, CatalogThreadRequest } from './catalogReads.js';
import { SqliteReader } from './database.js';

// The catalog thread (catalogReads.ts): reads catalog pages on a read-only connection, one message at a time.

// Below the host's thread when the CPU is short: a visitor's cheap request is answered before the
// next search. Linux keeps a priority per thread; elsewhere it would lower the whole process.
if (process.platform === 'linux') setPriority(constants.priority.PRIORITY_BELOW_NORMAL);

const { databaseFile } = workerData as { databaseFile: string };
/** Opened at the first read, so that a file it cannot open fails that read, and the next one tries again. */
let reader: SqliteReader | undefined;

parentPort!.on('message', ({ id, query, withTotal }: CatalogThreadRequest) => {
  let reply: CatalogThreadReply;
  try {
    reader ??= new SqliteReader(databaseFile);
    reply = { id, read: readCatalog(reader, query, withTotal) };
  } catch (error) {
    const code = error instanceof Database.SqliteError ? error.code : undefined;
    reply = { id, failure: { message: error instanceof Error ? error.message : String(error), ...(code && { code }) } };
  }
  parentPort!.postMessage(reply);
});
