import { expect, it } from 'vitest';
import { describeOnEachStore } from '../support/storeModes.js';
import { ADMIN, call, createProduct, eventually, principalHeader, useHost } from '../support/localHost.js';
import { CHECKOUT, TEST_CARDS, UNPAID } from '../support/checkout.js';
import { linkedOrder, paidOrder, paymentSetup, placedOrder } from '../../src/http/contract/responses.js';

type Card = { number: string; expiry: string; cvc: string };

describeOnEachStore('paying for an order with the demo provider, over HTTP', (store) => {
  const host = useHost(() => ({ SEED_CATALOG: 'false', ...store.settings() }));

  /** An order placed without paying: awaiting payment, its stock held. */
  async function unpaidOrder(productId: string, quantity = 1, headers: Record<string, string> = {}) {
    const placed = await call(host.url, 'POST', '/api/orders', { headers, body: { items: [{ productId, quantity }], ...UNPAID } });
    expect(placed.status).toBe(202);
    return placedOrder.parse(placed.body);
  }
  const pay = (orderId: string, card: Card, headers: Record<string, string> = {}) =>
    call(host.url, 'POST', `/api/orders/${orderId}/payment`, { headers, body: { card } });
  const stockOf = async (productId: string) => (await call(host.url, 'GET', `/api/products/${productId}`)).body.stock as number;

  it('names the demo provider and its test cards', async () => {
    const setup = await call(host.url, 'GET', '/api/payments/setup');
    expect(setup.status).toBe(200);
    expect(paymentSetup.parse(setup.body)).toMatchObject({ provider: 'demo', testCards: expect.arrayContaining([{ number: '4242424242424242', outcome: 'succeeds' }]) });
  });

  it('holds the stock of an unpaid order at once, and sends it to the makeline once the success card pays', async () => {
    const product = await createProduct(host.url, { stock: 5, priceCents: 1250 });
    const order = await unpaidOrder(product.id, 2);
    expect(order).toMatchObject({ status: 'awaiting_payment', payment: { status: 'unpaid', provider: 'demo', attempts: 0 } });
    expect(Date.parse(order.holdExpiresAt!) - Date.parse(order.createdAt)).toBe(15 * 60_000);
    expect(await stockOf(product.id)).toBe(3);

    const paid = await pay(order.orderId, { number: '4242 4242 4242 4242', expiry: '12/39', cvc: '123' });
    expect(paid.status).toBe(200);
    expect(paidOrder.parse(paid.body)).toMatchObject({ status: 'received', payment: { status: 'paid', attempts: 1, method: { brand: 'visa', last4: '4242' } } });
    expect(paid.body.payment.paidAt).toBeTruthy();
    expect(paid.body).not.toHaveProperty('holdExpiresAt');
    await eventually(async () => (await call(host.url, 'GET', `/api/orders/${order.orderId}`)).body.status === 'pending');
    // Taken once: at placement, not again by the makeline.
    expect(await stockOf(product.id)).toBe(3);

    const again = await pay(order.orderId, TEST_CARDS.success);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('already_paid');
  });

  it('pays in the same call as the order', async () => {
    const product = await createProduct(host.url, { stock: 5 });
    const placed = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT } });
    expect(placed.status).toBe(202);
    expect(placedOrder.parse(placed.body)).toMatchObject({ status: 'received', payment: { status: 'paid', attempts: 1, method: { last4: '4242' } } });
  });

  it('answers a decline with 402 and its reason, keeps it on the order, and takes the success card after', async () => {
    const product = await createProduct(host.url, { stock: 5 });
    const order = await unpaidOrder(product.id);
    for (const [card, code, message] of [
      [TEST_CARDS.declined, 'payment_declined', 'Your card was declined.'],
      [TEST_CARDS.insufficientFunds, 'payment_declined', 'Your card has insufficient funds.'],
      [{ ...TEST_CARDS.success, number: '5555555555554444' }, 'payment_declined', 'No real money is taken here: use a test card, such as 4242 4242 4242 4242'],
    ] as const) {
      const declined = await pay(order.orderId, card);
      expect(declined.status).toBe(402);
      expect(declined.body.error).toMatchObject({ code });
      expect(declined.body.error.message).toContain(message);
    }
    const failed = linkedOrder.parse((await call(host.url, 'GET', `/api/orders/${order.orderId}`)).body);
    expect(failed).toMatchObject({ status: 'awaiting_payment', payment: { status: 'failed', attempts: 3, failure: expect.stringContaining('No real money'), method: { brand: 'mastercard', last4: '4444' } } });

    const paid = await pay(order.orderId, TEST_CARDS.success);
    expect(paid.status).toBe(200);
    expect(paid.body).toMatchObject({ status: 'received', payment: { status: 'paid', attempts: 4 } });
    expect(paid.body.payment).not.toHaveProperty('failure');
  });

  it('asks for the 3-D Secure step, and pays once it is approved; a refused one is a decline', async () => {
    const product = await createProduct(host.url, { stock: 5 });
    const refused = await unpaidOrder(product.id);
    expect((await pay(refused.orderId, TEST_CARDS.threeDSecure)).body).toMatchObject({ status: 'awaiting_payment', payment: { status: 'requires_action' } });
    const no = await call(host.url, 'POST', `/api/orders/${refused.orderId}/payment/confirm`, { body: { approve: false } });
    expect(no.status).toBe(402);
    expect(no.body.error.message).toBe('You did not confirm the payment.');

    const order = await unpaidOrder(product.id);
    const asked = await pay(order.orderId, TEST_CARDS.threeDSecure);
    expect(asked.status).toBe(200);
    expect(asked.body.payment).toMatchObject({ status: 'requires_action', method: { last4: '3155' } });
    const yes = await call(host.url, 'POST', `/api/orders/${order.orderId}/payment/confirm`, { body: { approve: true } });
    expect(yes.status).toBe(200);
    expect(linkedOrder.parse(yes.body)).toMatchObject({ status: 'received', payment: { status: 'paid', attempts: 1 } });
    const twice = await call(host.url, 'POST', `/api/orders/${order.orderId}/payment/confirm`, { body: { approve: true } });
    expect(twice.body.error.code).toBe('already_paid');
  });

  it('refuses a bad card with 400 and changes nothing', async () => {
    const product = await createProduct(host.url, { stock: 5 });
    const order = await unpaidOrder(product.id);
    for (const [card, path] of [
      [{ ...TEST_CARDS.success, expiry: '01/20' }, 'card.expiry'],
      [{ ...TEST_CARDS.success, expiry: '13/39' }, 'card.expiry'],
      [{ ...TEST_CARDS.success, cvc: '12' }, 'card.cvc'],
      [{ ...TEST_CARDS.success, number: '4242' }, 'card.number'],
    ] as const) {
      const refused = await pay(order.orderId, card);
      expect(refused.status).toBe(400);
      expect(refused.body.error.details.map((detail: { path: string }) => detail.path)).toEqual([path]);
    }
    const missing = await call(host.url, 'POST', `/api/orders/${order.orderId}/payment`, { body: {} });
    expect(missing.status).toBe(400);
    const placedBadly = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...UNPAID, payment: { card: { ...TEST_CARDS.success, cvc: 'abc' } } } });
    expect(placedBadly.status).toBe(400);
    expect((await call(host.url, 'GET', `/api/orders/${order.orderId}`)).body.payment).toMatchObject({ status: 'unpaid', attempts: 0 });
    expect(await stockOf(product.id)).toBe(4);
  });

  it("refuses to pay another account's order, or one that is cancelled", async () => {
    const product = await createProduct(host.url, { stock: 5 });
    const mine = await unpaidOrder(product.id, 1, { 'x-ms-client-principal': principalHeader([]) });
    const stranger = Buffer.from(JSON.stringify({ identityProvider: 'aad', userId: 'someone-else', userDetails: 'x', userRoles: ['authenticated'] })).toString('base64');
    expect((await pay(mine.orderId, TEST_CARDS.success, { 'x-ms-client-principal': stranger })).body.error.code).toBe('not_your_order');
    const order = await unpaidOrder(product.id);
    expect((await call(host.url, 'POST', `/api/orders/${order.orderId}/cancel`)).status).toBe(200);
    const late = await pay(order.orderId, TEST_CARDS.success);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('not_payable');
  });

  it('counts the stock an unpaid order holds as taken, and lists unpaid orders on the board', async () => {
    const product = await createProduct(host.url, { stock: 1 });
    await unpaidOrder(product.id);
    // The catalog read said 1 was left; the hold took it before this order's reservation.
    const short = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT } });
    expect(short.status).toBe(409);
    expect(short.body.error.code).toBe('out_of_stock');
    const board = await call(host.url, 'GET', '/api/manage/orders?status=awaiting_payment', { headers: ADMIN });
    expect(board.status).toBe(200);
    expect(board.body.items.length).toBeGreaterThan(0);
    expect(board.body.items.every((item: { status: string }) => item.status === 'awaiting_payment')).toBe(true);
  });
});
