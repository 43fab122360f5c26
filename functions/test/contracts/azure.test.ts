import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Db, MongoClient } from 'mongodb';
import { BlobImageStore } from '../../src/adapters/azure/blobImageStore.js';
import { connectMongo } from '../../src/adapters/azure/mongo.js';
import { MongoAuditLog } from '../../src/adapters/azure/mongoAuditLog.js';
import { MongoOrderStore } from '../../src/adapters/azure/mongoOrderStore.js';
import { MongoProductStore } from '../../src/adapters/azure/mongoProductStore.js';
import { MongoRateCounter } from '../../src/adapters/azure/mongoRateCounter.js';
import { ServiceBusOrderQueue } from '../../src/adapters/azure/serviceBusQueue.js';
import { systemClock } from '../../src/composition.js';
import { startAzurite, type Azurite } from '../support/azurite.js';
import { describeOnMongo } from '../support/mongoSuite.js';
import { auditLogContract } from './auditLog.contract.js';
import { imageStoreContract } from './imageStore.contract.js';
import { orderQueueContract } from './orderQueue.contract.js';
import { orderStoreContract } from './orderStore.contract.js';
import { productStoreContract } from './productStore.contract.js';
import { rateCounterContract } from './rateCounter.contract.js';
import { paymentProviderContract } from './paymentProvider.contract.js';
import { MongoPaymentLedger } from '../../src/adapters/azure/mongoPaymentLedger.js';
import { DemoPaymentProvider } from '../../src/adapters/payments/demoProvider.js';

const noIdentity = () => {
  throw new Error('the contract tests connect with connection strings');
};

describe('Blob Storage image store on Azurite', () => {
  let azurite: Azurite;
  let store: BlobImageStore;
  beforeAll(async () => {
    azurite = await startAzurite();
    store = new BlobImageStore({ connectionString: azurite.connectionString, container: 'contract-images' }, noIdentity);
  });
  afterAll(async () => azurite?.stop());
  imageStoreContract('Azure Blob Storage (Azurite)', () => store);
});

describeOnMongo('Cosmos DB for MongoDB stores', (server) => {
  let client: MongoClient;
  let db: Db;
  beforeAll(async () => {
    ({ client, db } = await connectMongo(server().uri, `bestbuy_contract_${Date.now()}`));
  });
  afterAll(async () => {
    await db?.dropDatabase();
    await client?.close();
  });
  productStoreContract('MongoDB', () => new MongoProductStore(db, systemClock));
  orderStoreContract('MongoDB', () => new MongoOrderStore(db));
  auditLogContract('MongoDB', () => new MongoAuditLog(db));
  rateCounterContract('MongoDB', () => new MongoRateCounter(db));
  paymentProviderContract('MongoDB ledger', () => {
    const ledger = new MongoPaymentLedger(db);
    return { ledger, provider: new DemoPaymentProvider(ledger, systemClock) };
  });
});

const serviceBusConnection = process.env.SERVICEBUS_CONNECTION_STRING;
if (serviceBusConnection) {
  const queueName = process.env.SERVICEBUS_QUEUE ?? 'orders-contract';
  let queue: ServiceBusOrderQueue;
  let client: import('@azure/service-bus').ServiceBusClient;
  beforeAll(async () => {
    const { ServiceBusClient } = await import('@azure/service-bus');
    queue = new ServiceBusOrderQueue({ connectionString: serviceBusConnection }, queueName, noIdentity);
    client = new ServiceBusClient(serviceBusConnection);
  });
  afterAll(async () => {
    await queue?.close();
    await client?.close();
  });
  orderQueueContract(`Service Bus queue ${queueName}`, () => ({
    queue,
    async deadLetterNext(reason) {
      const receiver = client.createReceiver(queueName);
      const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: 5_000 });
      if (!message) throw new Error('nothing to dead-letter');
      await receiver.deadLetterMessage(message, { deadLetterReason: reason, deadLetterErrorDescription: 'contract test' });
      await receiver.close();
    },
    async drain() {
      const receiver = client.createReceiver(queueName, { receiveMode: 'receiveAndDelete' });
      const bodies: string[] = [];
      for (let batch = await receiver.receiveMessages(100, { maxWaitTimeInMs: 2_000 }); batch.length; batch = await receiver.receiveMessages(100, { maxWaitTimeInMs: 2_000 })) {
        bodies.push(...batch.map((message) => JSON.stringify(message.body)));
      }
      await receiver.close();
      return bodies;
    },
  }));
} else {
  describe.skip('Service Bus contract suite: skipped because SERVICEBUS_CONNECTION_STRING is not set', () => it('needs SERVICEBUS_CONNECTION_STRING', () => {}));
  console.warn('Service Bus contract suite skipped: set SERVICEBUS_CONNECTION_STRING (and SERVICEBUS_QUEUE) to run it.');
}
