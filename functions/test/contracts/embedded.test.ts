import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SqliteAuditLog } from '../../src/adapters/embedded/auditLog.js';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { SqliteImageStore } from '../../src/adapters/embedded/imageStore.js';
import { SqliteOrderStore } from '../../src/adapters/embedded/orderStore.js';
import { SqliteProductStore } from '../../src/adapters/embedded/productStore.js';
import { readsInAThread, type CatalogReads } from '../../src/adapters/embedded/catalogReads.js';
import { EmbeddedQueue } from '../../src/adapters/embedded/queue.js';
import { SqliteRateCounter } from '../../src/adapters/embedded/rateCounter.js';
import { MemoryRateCounter } from '../../src/adapters/memoryRateCounter.js';
import { systemClock } from '../../src/composition.js';
import { auditLogContract } from './auditLog.contract.js';
import { imageStoreContract } from './imageStore.contract.js';
import { orderQueueContract } from './orderQueue.contract.js';
import { orderStoreContract } from './orderStore.contract.js';
import { productStoreContract } from './productStore.contract.js';
import { rateCounterContract } from './rateCounter.contract.js';
import { paymentProviderContract } from './paymentProvider.contract.js';
import { SqlitePaymentLedger } from '../../src/adapters/embedded/paymentLedger.js';
import { DemoPaymentProvider } from '../../src/adapters/payments/demoProvider.js';

let dir: string;
let file: SqliteFile;
let queue: EmbeddedQueue;
let threadReads: CatalogReads;
const memoryCounter = new MemoryRateCounter(systemClock);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bestbuy-contract-'));
  file = new SqliteFile(join(dir, 'store.db'));
  // The build's thread script: a worker cannot run the TypeScript sources (npm test builds first).
  threadReads = readsInAThread(join(dir, 'store.db'), pathToFileURL(resolve('dist/adapters/embedded/catalogThread.js')));
  queue = new EmbeddedQueue(file, { queueName: 'orders', lockDurationMs: 30_000, maxDeliveryCount: 10, duplicateDetectionWindowMs: 600_000 });
});
afterAll(async () => {
  await threadReads.close();
  file.close();
  rmSync(dir, { recursive: true, force: true });
});

productStoreContract('embedded SQLite', () => new SqliteProductStore(file, systemClock));
productStoreContract('embedded SQLite, catalog pages read on a thread (the local host)', () => new SqliteProductStore(file, systemClock, undefined, threadReads));
orderStoreContract('embedded SQLite', () => new SqliteOrderStore(file));
imageStoreContract('embedded SQLite', () => new SqliteImageStore(file));
auditLogContract('embedded SQLite', () => new SqliteAuditLog(file));
rateCounterContract('embedded SQLite', () => new SqliteRateCounter(file, systemClock));
rateCounterContract('one instance in memory', () => memoryCounter);
paymentProviderContract('embedded SQLite ledger', () => {
  const ledger = new SqlitePaymentLedger(file);
  return { ledger, provider: new DemoPaymentProvider(ledger, systemClock) };
});
orderQueueContract('embedded queue', () => ({
  queue,
  async deadLetterNext(reason) {
    const [message] = await queue.receive(1);
    if (!message) throw new Error('nothing to dead-letter');
    await queue.deadLetter(message.lockToken, reason, 'dead-lettered by the contract test');
  },
  async drain() {
    const bodies: string[] = [];
    for (let batch = await queue.receive(100); batch.length > 0; batch = await queue.receive(100)) {
      for (const message of batch) {
        bodies.push(message.body);
        await queue.complete(message.lockToken);
      }
    }
    return bodies;
  },
}));
