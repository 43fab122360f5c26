import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCancellation } from '../../src/app/cancellation.js';
import { makeOrder } from '../../src/app/makeline.js';
import { moveOrder } from '../../src/app/moveOrder.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { claimOrders } from '../../src/app/customerOrders.js';
import type { OrderStore, ProductStore } from '../../src/ports.js';
import { CHECKOUT } from '../support/checkout.js';

const EMPLOYEE = { userId: 'e1', userDetails: 'grace@example.com', identityProvider: 'aad', userRoles: ['authenticated', 'admin'] };
import { addProduct, receivedOrder, silentLog, tempServices } from '../support/services.js';

type Services = ReturnType<typeof tempServices>;

describe('cancelling an order that has not started, on the embedded store', () => {
  let services: Services;
  beforeEach(() => {
    services = tempServices();
  });
  afterEach(() => services.dispose());

  async function placed(stock = 10, quantity = 3) {
    const product = await addProduct(services, { stock });
    const { order, claimToken } = await placeOrder(services, { items: [{ productId: product.id, quantity }], ...CHECKOUT }, undefined, silentLog);
    const stockNow = async () => (await services.products.get(product.id))!.stock;
    return { product, order, claimToken: claimToken!, stockNow };
  }

  /** An order stored before payments: the makeline takes its stock, so a cancel can race the reservation. */
  async function placedBeforePayments(stock = 10, quantity = 3) {
    const product = await addProduct(services, { stock });
    const order = await receivedOrder(services, [{ productId: product.id, quantity }]);
    return { order, stockNow: async () => (await services.products.get(product.id))!.stock };
  }

  /** The same services, with the product store's reserveStock wrapped: runs `around` with the real one. */
  function reservingWith(around: (reserve: ProductStore['reserveStock'], ...args: Parameters<ProductStore['reserveStock']>) => ReturnType<ProductStore['reserveStock']>): Services {
    const real = services.products;
    const products: ProductStore = Object.create(real);
    products.reserveStock = (orderId, items) => around(real.reserveStock.bind(real), orderId, items);
    return { ...services, products };
  }

  it('cancels a received order, and the makeline then skips its message without taking stock', async () => {
    const { order, stockNow } = await placed();
    const cancelled = await applyCancellation(services, order, { by: 'customer' }, silentLog);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.history.at(-1)?.reason).toBe('Cancelled at the customer’s request.');
    expect((await makeOrder(services, order.orderId)).status).toBe('cancelled');
    expect(await stockNow()).toBe(10);
  });

  it('gives a pending order’s stock back', async () => {
    const { order, stockNow } = await placed();
    const pending = await makeOrder(services, order.orderId);
    expect(await stockNow()).toBe(7);
    await applyCancellation(services, pending, { by: 'employee', employee: EMPLOYEE, reason: 'Address is outside our delivery area.', expectedVersion: pending.version }, silentLog);
    expect(await stockNow()).toBe(10);
    expect((await services.orders.get(order.orderId))?.history.at(-1)?.reason).toBe('Address is outside our delivery area.');
  });

  it('refuses an order being prepared or final with a conflict that says why', async () => {
    const { order } = await placed();
    const pending = await makeOrder(services, order.orderId);
    const processing = await moveOrder(services, order.orderId, 'processing', pending.version);
    await expect(applyCancellation(services, processing, { by: 'customer' }, silentLog)).rejects.toMatchObject({ kind: 'conflict', code: 'not_cancellable', message: expect.stringContaining('being prepared') });
    const completed = await moveOrder(services, order.orderId, 'completed', processing.version);
    await expect(applyCancellation(services, completed, { by: 'customer' }, silentLog)).rejects.toMatchObject({ code: 'not_cancellable', message: expect.stringContaining('completed') });
  });

  it('refuses an employee’s cancel of a version they did not see', async () => {
    const { order } = await placed();
    const pending = await makeOrder(services, order.orderId);
    await expect(applyCancellation(services, pending, { by: 'employee', employee: EMPLOYEE, reason: 'Duplicate order.', expectedVersion: 1 }, silentLog)).rejects.toMatchObject({ code: 'stale_version' });
  });

  it('returns the stock when the cancel lands while the makeline holds it but has not yet written pending', async () => {
    const { order, stockNow } = await placedBeforePayments();
    const racing = reservingWith(async (reserve, orderId, items) => {
      const reservation = await reserve(orderId, items);
      await applyCancellation(services, (await services.orders.get(orderId))!, { by: 'customer' }, silentLog);
      return reservation;
    });
    expect((await makeOrder(racing, order.orderId)).status).toBe('cancelled');
    expect(await stockNow()).toBe(10);
  });

  it('returns the stock when the cancel lands after the makeline read the order but before it reserved', async () => {
    const { order, stockNow } = await placedBeforePayments();
    const racing = reservingWith(async (reserve, orderId, items) => {
      await applyCancellation(services, (await services.orders.get(orderId))!, { by: 'customer' }, silentLog);
      return reserve(orderId, items);
    });
    expect((await makeOrder(racing, order.orderId)).status).toBe('cancelled');
    expect(await stockNow()).toBe(10);
    // A redelivery later takes nothing either.
    await makeOrder(services, order.orderId);
    expect(await stockNow()).toBe(10);
  });

  it('cancels the pending order when the makeline finishes between the customer’s read and the cancel', async () => {
    const { order, stockNow } = await placed();
    await makeOrder(services, order.orderId); // the customer's page still shows it received
    const cancelled = await applyCancellation(services, order, { by: 'customer' }, silentLog);
    expect(cancelled.history.map((change) => change.status)).toEqual(['awaiting_payment', 'received', 'pending', 'cancelled']);
    expect(await stockNow()).toBe(10);
    // The audit entry's "before" is the version it cancelled, not the one the customer first read.
    // The order was paid for: the cancel is followed by its refund, one version on.
    const entries = (await services.audit.list({ limit: 2 })).items;
    const [refund, entry] = ['order.refund', 'order.cancel'].map((action) => entries.find((found) => found.action === action));
    expect(refund).toMatchObject({ action: 'order.refund', after: { payment: 'refunded', amountCents: order.totalCents } });
    expect(entry).toMatchObject({ action: 'order.cancel', before: { status: 'pending', version: cancelled.version - 2 }, after: { status: 'cancelled', version: cancelled.version - 1 } });
  });

  it('refuses the link holder’s cancel when the order was claimed by an account between their read and their write', async () => {
    const { order, claimToken, stockNow } = await placed();
    await makeOrder(services, order.orderId);
    const kim = { identityProvider: 'github', userId: 'kim-1', userDetails: 'kim', userRoles: ['authenticated'] };
    // The first write of the cancel finds the order claimed just before it (the claim bumps the version).
    const real = services.orders;
    const orders: OrderStore = Object.create(real);
    let claimed = false;
    orders.replace = async (next, expectedVersion) => {
      if (!claimed) {
        claimed = true;
        await claimOrders(services, { identityProvider: 'github', userId: 'kim-1', name: 'kim' }, kim, [{ orderId: order.orderId, claimToken }]);
      }
      return real.replace(next, expectedVersion);
    };
    await expect(applyCancellation({ ...services, orders }, order, { by: 'customer', caller: null }, silentLog)).rejects.toMatchObject({ code: 'not_your_order' });
    const after = (await services.orders.get(order.orderId))!;
    expect(after.status).toBe('pending');
    expect(after.owner?.userId).toBe('kim-1');
    expect(await stockNow()).toBe(7);
  });
});
