import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeOrder } from '../../src/app/makeline.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { virtualCustomer } from '../../src/functions/virtualCustomer.js';
import { virtualWorker } from '../../src/functions/virtualWorker.js';
import { ADMIN, call, createProduct, eventually, useHost } from '../support/localHost.js';
import { addProduct, silentLog, tempServices } from '../support/services.js';
import { CHECKOUT } from '../support/checkout.js';

const TEN_SECONDS = { seconds: 10 };

describe('the virtual customer and worker, run by hand', () => {
  let services: ReturnType<typeof tempServices>;
  beforeEach(() => {
    // 3600 an hour is exactly 10 per run standing for 10 seconds, so each run does a known amount.
    // No declines: every order is paid and goes on; the declines have a test of their own.
    services = tempServices({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '3600', VIRTUAL_WORKER_ORDERS_PER_HOUR: '3600', VIRTUAL_CUSTOMER_DECLINE_RATE: '0' });
  });
  afterEach(() => services.dispose());

  it('places real orders for products in stock, through the intake path', async () => {
    const inStock = await addProduct(services, { stock: 100 });
    const soldOut = await addProduct(services, { stock: 0 });
    await virtualCustomer(services, silentLog, TEN_SECONDS);
    const { items } = await services.orders.list({ limit: 100 });
    expect(items).toHaveLength(10);
    for (const order of items) {
      expect(order.status).toBe('received');
      expect(order.payment).toMatchObject({ status: 'paid', provider: 'demo', method: { last4: '4242' } });
      expect(order.items.every((item) => item.productId === inStock.id && item.unitPriceCents === inStock.priceCents)).toBe(true);
      expect(order.items.some((item) => item.productId === soldOut.id)).toBe(false);
    }
  });

  it('fails to pay at VIRTUAL_CUSTOMER_DECLINE_RATE, with the decline card, leaving those orders unpaid', async () => {
    const declining = tempServices({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '3600', VIRTUAL_CUSTOMER_DECLINE_RATE: '1' });
    try {
      await addProduct(declining, { stock: 100 });
      await virtualCustomer(declining, silentLog, TEN_SECONDS);
      const { items } = await declining.orders.list({ limit: 100 });
      expect(items).toHaveLength(10);
      for (const order of items) {
        expect(order).toMatchObject({ status: 'awaiting_payment', payment: { status: 'failed', failure: 'Your card was declined.', method: { last4: '0002' } } });
      }
    } finally {
      await declining.dispose();
    }
  });

  it('starts pending orders on one run and completes them on the next, at the configured pace', async () => {
    const product = await addProduct(services, { stock: 100 });
    for (let n = 0; n < 12; n++) {
      const { order } = await placeOrder(services, { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT }, undefined, silentLog);
      await makeOrder(services, order.orderId);
    }
    await virtualWorker(services, silentLog, TEN_SECONDS);
    expect((await services.orders.list({ status: 'processing', limit: 100 })).items).toHaveLength(10);
    await virtualWorker(services, silentLog, TEN_SECONDS);
    expect((await services.orders.list({ status: 'completed', limit: 100 })).items).toHaveLength(10);
    expect((await services.orders.list({ status: 'processing', limit: 100 })).items).toHaveLength(2);
  });

  it('catches up the whole interval a run stands for', async () => {
    await addProduct(services, { stock: 1000 });
    await virtualCustomer(services, silentLog, { seconds: 30 }); // 3600 an hour: 30 orders in 30 s
    expect((await services.orders.list({ limit: 100 })).items).toHaveLength(30);
  });

  it('restocks, as the virtual supplier, every product below the threshold and no other, and audits it', async () => {
    const soldOut = await addProduct(services, { stock: 0 });
    const low = await addProduct(services, { stock: 4 });
    const enough = await addProduct(services, { stock: 5 });
    await virtualCustomer(services, silentLog, { seconds: 0 });
    expect((await services.products.get(soldOut.id))?.stock).toBe(20);
    expect((await services.products.get(low.id))?.stock).toBe(24);
    expect((await services.products.get(enough.id))?.stock).toBe(5);
    const entries = (await services.audit.list({ limit: 10 })).items.filter((entry) => entry.action === 'product.restock');
    expect(entries.map((entry) => entry.target).sort()).toEqual([soldOut.id, low.id].sort());
    expect(entries.find((entry) => entry.target === soldOut.id)).toMatchObject({
      actor: { userId: 'virtual-supplier', userDetails: 'Virtual supplier' },
      before: { stock: 0 },
      after: { stock: 20 },
    });
  });

  it('does nothing when its rate is 0, the default: no orders and no restocking', async () => {
    const idle = tempServices();
    try {
      await addProduct(idle, { stock: 100 });
      const soldOut = await addProduct(idle, { stock: 0 });
      await virtualCustomer(idle, silentLog, TEN_SECONDS);
      expect((await idle.orders.list({ limit: 10 })).items).toHaveLength(0);
      expect((await idle.products.get(soldOut.id))?.stock).toBe(0);
    } finally {
      await idle.dispose();
    }
  });
});

describe('the virtual actors on the local host timers', () => {
  // Every 2 s, read from the setting the actors' timers name: 2 orders placed and up to 20 moved per run.
  const host = useHost({
    VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '3600',
    VIRTUAL_WORKER_ORDERS_PER_HOUR: '36000',
    VIRTUAL_ACTORS_SCHEDULE: '*/2 * * * * *',
  });

  it('keeps the store alive: orders appear and get completed with nobody at the keyboard', async () => {
    const completed = await eventually(async () => {
      const { body } = await call(host.url, 'GET', '/api/manage/orders?status=completed', { headers: ADMIN });
      return body.items.length > 0 && body.items;
    }, 40_000, 500);
    expect(completed[0].customer.name).toBe('Virtual Customer');
    expect(completed[0].history.map((step: { status: string }) => step.status)).toEqual(['awaiting_payment', 'received', 'pending', 'processing', 'completed']);
  });

  it('never sells itself out: a product at zero is restocked by the virtual supplier', async () => {
    const product = await createProduct(host.url, { name: 'Popular Lamp', stock: 0 });
    const restocked = await eventually(async () => {
      const { body } = await call(host.url, 'GET', `/api/products/${product.id}`);
      return body.stock > 0 && body;
    }, 20_000, 250);
    expect(restocked.stock).toBeGreaterThanOrEqual(1);
    const { body: audit } = await call(host.url, 'GET', '/api/manage/audit?limit=100', { headers: ADMIN });
    expect(audit.items.find((entry: { action: string; target: string }) => entry.action === 'product.restock' && entry.target === product.id)).toMatchObject({
      actor: { userDetails: 'Virtual supplier' },
      before: { stock: 0 },
    });
  });
});
