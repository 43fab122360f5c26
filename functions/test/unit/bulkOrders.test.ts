import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { actOnOrders } from '../../src/app/bulkOrders.js';
import { makeOrder } from '../../src/app/makeline.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { bulkOrdersBody } from '../../src/domain/schemas.js';
import { CHECKOUT } from '../support/checkout.js';
import { addProduct, silentLog, tempServices } from '../support/services.js';

const EMPLOYEE = { userId: 'e1', userDetails: 'grace@example.com', identityProvider: 'aad', userRoles: ['authenticated', 'admin'] };

describe('an employee acting on many orders at once', () => {
  let services: ReturnType<typeof tempServices>;
  beforeEach(() => {
    services = tempServices();
  });
  afterEach(() => services.dispose());

  async function pendingOrders(count: number, stock = 100) {
    const product = await addProduct(services, { stock });
    const orders = [];
    for (let n = 0; n < count; n++) {
      const { order } = await placeOrder(services, { items: [{ productId: product.id, quantity: 2 }], ...CHECKOUT }, undefined, silentLog);
      orders.push(await makeOrder(services, order.orderId));
    }
    return { product, orders };
  }

  const body = (input: unknown) => bulkOrdersBody.parse(input);

  it('decides each order alone: one that changed meanwhile or cannot move is refused, the others move', async () => {
    const { orders } = await pendingOrders(4);
    const [first, changed, , last] = orders;
    const outcomes = await actOnOrders(services, EMPLOYEE, body({
      to: 'processing',
      orders: [
        { orderId: first!.orderId, version: first!.version },
        { orderId: changed!.orderId, version: changed!.version - 1 },
        { orderId: 'no-such-order', version: 1 },
        { orderId: last!.orderId, version: last!.version },
      ],
    }), silentLog);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['done', 'refused', 'refused', 'done']);
    expect(outcomes[0]).toMatchObject({ orderId: first!.orderId, number: first!.number, status: 'processing', version: first!.version + 1 });
    expect(outcomes[1]).toMatchObject({ code: 'stale_version', message: expect.stringMatching(/changed this order first/) });
    expect(outcomes[2]).toMatchObject({ code: 'order_not_found' });
    expect((await services.orders.get(changed!.orderId))!.status).toBe('pending');
    expect((await services.orders.get(last!.orderId))!.status).toBe('processing');
  });

  it('cancels many with one reason, each customer reading it, and gives every order’s stock back', async () => {
    const { product, orders } = await pendingOrders(3, 10);
    expect((await services.products.get(product.id))!.stock).toBe(4);
    const outcomes = await actOnOrders(services, EMPLOYEE, body({
      to: 'cancelled',
      reason: 'We are closed for the holidays.',
      orders: orders.map((order) => ({ orderId: order.orderId, version: order.version })),
    }), silentLog);
    expect(outcomes.every((outcome) => outcome.outcome === 'done' && outcome.status === 'cancelled')).toBe(true);
    expect((await services.products.get(product.id))!.stock).toBe(10);
    for (const order of orders) expect((await services.orders.get(order.orderId))!.history.at(-1)?.reason).toBe('We are closed for the holidays.');
  });

  it('records each order it changed in the audit log, by the employee, and none it refused', async () => {
    const { orders } = await pendingOrders(2);
    await actOnOrders(services, EMPLOYEE, body({
      to: 'processing',
      orders: [{ orderId: orders[0]!.orderId, version: orders[0]!.version }, { orderId: orders[1]!.orderId, version: 99 }],
    }), silentLog);
    const entries = (await services.audit.list({ limit: 10 })).items;
    expect(entries.map((entry) => [entry.action, entry.target, entry.actor.userDetails])).toEqual([['order.transition', orders[0]!.orderId, 'grace@example.com']]);
  });

  it('completes only orders being prepared: a pending one is refused as an illegal move', async () => {
    const { orders } = await pendingOrders(1);
    const [outcome] = await actOnOrders(services, EMPLOYEE, body({ to: 'completed', orders: [{ orderId: orders[0]!.orderId, version: orders[0]!.version }] }), silentLog);
    expect(outcome).toMatchObject({ outcome: 'refused', code: 'illegal_transition' });
  });

  it('reports a store failure on the order it hit, after the ones already done, and goes on', async () => {
    const { orders } = await pendingOrders(3);
    const real = services.orders;
    let reads = 0;
    const flaky = Object.create(real) as typeof real;
    flaky.get = async (orderId) => (++reads === 2 ? Promise.reject(new Error('connection reset')) : real.get(orderId));
    const outcomes = await actOnOrders({ ...services, orders: flaky }, EMPLOYEE, body({
      to: 'processing',
      orders: orders.map((order) => ({ orderId: order.orderId, version: order.version })),
    }), silentLog);
    expect(outcomes.map((outcome) => outcome.outcome)).toEqual(['done', 'refused', 'done']);
    expect(outcomes[1]).toMatchObject({ code: 'failed', message: expect.stringContaining('try it again') });
  });
});

describe('the bulk action body', () => {
  const order = { orderId: 'o1', version: 1 };
  it.each([
    ['a cancel without a reason', { to: 'cancelled', orders: [order] }, 'reason'],
    ['no order', { to: 'processing', orders: [] }, 'orders'],
    ['the same order twice', { to: 'processing', orders: [order, order] }, 'orders'],
    ['more than 50 orders', { to: 'processing', orders: Array.from({ length: 51 }, (_, n) => ({ orderId: `o${n}`, version: 1 })) }, 'orders'],
    ['a move employees do not make', { to: 'pending', orders: [order] }, 'to'],
    ['an unknown field', { to: 'processing', orders: [order], extra: 1 }, ''],
  ])('refuses %s', (_, input, path) => {
    const result = bulkOrdersBody.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
