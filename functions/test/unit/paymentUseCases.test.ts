import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCancellation } from '../../src/app/cancellation.js';
import { payOrder, sweepPayments } from '../../src/app/payments.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { settleStrandedHolds } from '../../src/app/stock.js';
import { MongoOrderStore } from '../../src/adapters/azure/mongoOrderStore.js';
import { MongoPaymentLedger } from '../../src/adapters/azure/mongoPaymentLedger.js';
import { MongoProductStore } from '../../src/adapters/azure/mongoProductStore.js';
import { SqlitePaymentLedger } from '../../src/adapters/embedded/paymentLedger.js';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { DemoPaymentProvider } from '../../src/adapters/payments/demoProvider.js';
import { systemClock } from '../../src/composition.js';
import { attemptStarted } from '../../src/domain/paymentSteps.js';
import type { PaymentLedger, PaymentProvider } from '../../src/ports.js';
import { describeOnMongo } from '../support/mongoSuite.js';
import { openMongoDatabase } from '../support/mongoServer.js';
import { TEST_CARDS, UNPAID } from '../support/checkout.js';
import { addProduct, silentLog, tempServices, withPort } from '../support/services.js';

type Services = ReturnType<typeof tempServices> & { ledger: PaymentLedger };

/** Holds end 0.6 s after placing, and the sweeper takes over an unfinished payment or refund after 1 s. */
const QUICK = { HOLD_MINUTES: '0.01', OUTBOX_RESEND_AFTER_SECONDS: '1' };
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function embeddedServices(): Services {
  const services = tempServices(QUICK);
  // The demo provider's ledger, read through a second connection to the store's file, as another process would.
  const file = new SqliteFile(services.config.databaseFile);
  return {
    ...services,
    ledger: new SqlitePaymentLedger(file),
    async dispose() {
      file.close();
      await services.dispose();
    },
  };
}

async function mongoServices(uri: string): Promise<Services> {
  const mongo = await openMongoDatabase(uri);
  const embedded = tempServices(QUICK);
  const ledger = new MongoPaymentLedger(mongo.db);
  return {
    ...embedded,
    products: new MongoProductStore(mongo.db, systemClock),
    orders: new MongoOrderStore(mongo.db),
    payments: new DemoPaymentProvider(ledger, systemClock),
    ledger,
    async dispose() {
      await embedded.dispose();
      await mongo.close();
    },
  };
}

const paymentSuite = (start: () => Promise<Services>) => {
  let services: Services;
  beforeEach(async () => {
    services = await start();
  });
  afterEach(() => services.dispose());

  async function unpaid(quantity: number, stock = 10) {
    const product = await addProduct(services, { stock });
    const { order } = await placeOrder(services, { items: [{ productId: product.id, quantity }], ...UNPAID }, undefined, silentLog);
    const stockNow = async () => (await services.products.get(product.id))!.stock;
    return { product, order, stockNow };
  }
  const charges = async (orderId: string) => (await services.ledger.forOrder(orderId)).filter((entry) => entry.kind === 'charge' && entry.state === 'paid').length;

  it('charges once when two requests pay the same order at the same moment', async () => {
    const { order, stockNow } = await unpaid(2);
    const results = await Promise.allSettled([1, 2].map(() => payOrder(services, order.orderId, TEST_CARDS.success, null, silentLog)));
    expect(results.some((result) => result.status === 'fulfilled' && result.value.order.status === 'received')).toBe(true);
    for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: expect.stringMatching(/already_paid|payment_in_progress/) });
    expect(await charges(order.orderId)).toBe(1);
    expect((await services.orders.get(order.orderId))!.status).toBe('received');
    expect(await stockNow()).toBe(8);
  });

  it('never gives back the stock a payment took when the sweep ending its hold lands in the middle of it', async () => {
    const { order, stockNow } = await unpaid(3);
    await wait(700);
    // The sweeper has written holdReleased and is about to release the old hold: the customer pays right then.
    let paid: Awaited<ReturnType<typeof payOrder>> | undefined;
    const racing = withPort(services, 'products', {
      releaseStock: async (holdKey, productIds) => {
        paid ??= await payOrder(services, order.orderId, TEST_CARDS.success, null, silentLog);
        await services.products.releaseStock(holdKey, productIds);
      },
    });
    expect(await sweepPayments(racing, silentLog)).toMatchObject({ holdsReleased: 1 });
    expect(paid?.order).toMatchObject({ status: 'received', payment: { status: 'paid' } });
    expect(await stockNow()).toBe(7);
    // Later sweeps leave the new hold alone: the payment's, under a key of its own.
    await settleStrandedHolds(services, silentLog);
    await sweepPayments(services, silentLog);
    expect(await stockNow()).toBe(7);
    expect(await services.products.heldOrderIds()).toEqual([expect.stringMatching(new RegExp(`^${order.orderId}:`))]);
  });

  it('repairs a sweep killed between ending a hold and releasing it', async () => {
    const { order, stockNow } = await unpaid(4);
    await wait(700);
    const killed = withPort(services, 'products', { releaseStock: async () => Promise.reject(new Error('process killed')) });
    await sweepPayments(killed, silentLog);
    expect((await services.orders.get(order.orderId))!.holdReleased).toBe(true);
    expect(await stockNow()).toBe(6);
    expect(await settleStrandedHolds(services, silentLog)).toBe(1);
    expect(await stockNow()).toBe(10);
    expect(await settleStrandedHolds(services, silentLog)).toBe(0);
  });

  it('leaves a refund the provider refused to the sweeper, which refunds it once', async () => {
    const { order } = await unpaid(1);
    await payOrder(services, order.orderId, TEST_CARDS.success, null, silentLog);
    const down: PaymentProvider = Object.assign(Object.create(services.payments) as PaymentProvider, { refund: () => Promise.reject(new Error('provider unreachable')) });
    const cancelled = await applyCancellation({ ...services, payments: down }, (await services.orders.get(order.orderId))!, { by: 'customer' }, silentLog);
    expect(cancelled.payment).toMatchObject({ status: 'refund_pending', refund: { amountCents: order.totalCents } });
    expect(await sweepPayments(services, silentLog)).toMatchObject({ refundsRetried: 0 }); // not yet: its canceller may still be at it
    await wait(1100);
    expect(await sweepPayments(services, silentLog)).toMatchObject({ refundsRetried: 1 });
    expect((await services.orders.get(order.orderId))!.payment).toMatchObject({ status: 'refunded', refund: { at: expect.any(String) } });
    expect(await sweepPayments(services, silentLog)).toMatchObject({ refundsRetried: 0 });
    expect((await services.ledger.forOrder(order.orderId)).filter((entry) => entry.kind === 'refund')).toHaveLength(1);
    const audited = (await services.audit.list({ limit: 10 })).items.filter((entry) => entry.action === 'order.refund' && entry.target === order.orderId);
    expect(audited).toHaveLength(1);
    expect(audited[0]!.actor).toMatchObject({ userDetails: 'outbox sweeper' });
  });

  it('refuses to cancel while an attempt is being decided, and the sweeper decides it', async () => {
    const { order } = await unpaid(1);
    const processing = attemptStarted(order, 'demo', new Date());
    await services.orders.replace(processing, order.version);
    await expect(applyCancellation(services, processing, { by: 'customer' }, silentLog)).rejects.toMatchObject({ code: 'payment_in_progress' });
    await wait(1100);
    expect(await sweepPayments(services, silentLog)).toMatchObject({ paymentsFinished: 1 });
    expect((await services.orders.get(order.orderId))!.payment).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await applyCancellation(services, (await services.orders.get(order.orderId))!, { by: 'customer' }, silentLog)).status).toBe('cancelled');
  });
};

describe('paying, holds and refunds on the embedded store', () => paymentSuite(async () => embeddedServices()));
describeOnMongo('paying, holds and refunds on the MongoDB stores', (server) => paymentSuite(() => mongoServices(server().uri)));
