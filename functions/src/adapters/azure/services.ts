import type { TokenCredential } from '@azure/core-auth';
import type { AzureConfig, Config } from '../../config.js';
import type { Clock, Services } from '../../ports.js';
import { ORDERS_QUEUE } from '../../triggers.js';
import { createContentWriter } from '../ai/contentWriter.js';
import { imageDecoder } from '../images/decoder.js';
import { BlobImageStore } from './blobImageStore.js';
import { connectMongo } from './mongo.js';
import { MongoAuditLog } from './mongoAuditLog.js';
import { MongoOrderStore } from './mongoOrderStore.js';
import { MongoProductStore } from './mongoProductStore.js';
import { MongoRateCounter } from './mongoRateCounter.js';
import { MemoryRateCounter } from '../memoryRateCounter.js';
import { ServiceBusOrderQueue } from './serviceBusQueue.js';
import { MongoPaymentLedger } from './mongoPaymentLedger.js';
import { DemoPaymentProvider } from '../payments/demoProvider.js';

/**
 * Cosmos DB for MongoDB, Service Bus and Blob Storage. The managed identity (DefaultAzureCredential)
 * is created once, and its SDK loaded only when some service is reached through an endpoint.
 */
export async function createAzureServices(config: Config, azure: AzureConfig, clock: Clock): Promise<Services> {
  const needsIdentity = [azure.serviceBus, azure.images].some((connection) => 'endpoint' in connection);
  const credential: TokenCredential | undefined = needsIdentity
    ? new (await import('@azure/identity')).DefaultAzureCredential()
    : undefined;
  const identity = () => {
    if (!credential) throw new Error('no managed identity was set up for a connection that needs one');
    return credential;
  };

  const stores = await connectMongoStores(azure.mongo, clock);
  const queue = new ServiceBusOrderQueue(azure.serviceBus, ORDERS_QUEUE, identity);
  return {
    config,
    clock,
    ...stores,
    queue,
    images: new BlobImageStore(azure.images, identity),
    imageDecoder,
    instanceRateCounter: new MemoryRateCounter(clock),
    content: createContentWriter(config.ai),
    async close() {
      await queue.close();
      await stores.close();
    },
  };
}

/**
 * The stores kept in Cosmos DB for MongoDB (or any MongoDB-wire server): products, orders, audit,
 * the shared rate counts, and the demo payment provider's ledger.
 */
export async function connectMongoStores(mongo: AzureConfig['mongo'], clock: Clock): Promise<Pick<Services, 'products' | 'orders' | 'audit' | 'sharedRateCounter' | 'payments' | 'close'>> {
  const { client, db } = await connectMongo(mongo.uri, mongo.database);
  const products = new MongoProductStore(db, clock);
  // Products stored before search keys existed are filed once per start: a search never finds them otherwise.
  await products.fileUnindexedProducts();
  return {
    products,
    orders: new MongoOrderStore(db),
    audit: new MongoAuditLog(db),
    sharedRateCounter: new MongoRateCounter(db),
    // The demo provider; composition.ts puts another in its place when PAYMENT_PROVIDER asks for one.
    payments: new DemoPaymentProvider(new MongoPaymentLedger(db), clock),
    close: () => client.close(),
  };
}
