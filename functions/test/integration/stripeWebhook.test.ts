import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { linkedOrder, paidOrder, paymentSetup, placedOrder, webhookReceipt } from '../../src/http/contract/responses.js';
import { UNPAID, TEST_CARDS } from '../support/checkout.js';
import { call, createProduct, eventually, useHost } from '../support/localHost.js';
import { describeOnStripeMock, intentSucceeded, paymentIntentEvent } from '../support/stripeMock.js';

const WEBHOOK_SECRET = 'whsec_test_bestbuy_webhook';
const WEBHOOK = '/api/payments/stripe/webhook';
const signer = new Stripe('sk_test_unused');

const failed = (orderId: string, attempt = 1) =>
  paymentIntentEvent('payment_intent.payment_failed', orderId, attempt, {
    status: 'requires_payment_method',
    payment_method: null,
    last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  });

describeOnStripeMock('paying with Stripe over HTTP, Stripe played by stripe-mock', (mock) => {
  const host = useHost(() => ({
    SEED_CATALOG: 'false',
    PAYMENT_PROVIDER: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_bestbuy',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_bestbuy',
    STRIPE_API_URL: mock().url.href,
  }));

  /** Stripe's delivery: the raw JSON, signed with the endpoint's secret (or the header given). */
  const deliver = (payload: string, signature: string | null = signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET })) =>
    call(host.url, 'POST', WEBHOOK, { raw: payload, headers: { 'content-type': 'application/json; charset=utf-8', ...(signature === null ? {} : { 'stripe-signature': signature }) } });
  const orderOf = async (orderId: string) => linkedOrder.parse((await call(host.url, 'GET', `/api/orders/${orderId}`)).body);

  /** An order placed unpaid, then its first attempt started: Stripe.js would pay it with the client secret. */
  async function orderAwaitingStripe() {
    const product = await createProduct(host.url, { stock: 5, priceCents: 2599 });
    const placed = placedOrder.parse((await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...UNPAID } })).body);
    const started = await call(host.url, 'POST', `/api/orders/${placed.orderId}/payment`, { body: {} });
    expect(started.status).toBe(200);
    return paidOrder.parse(started.body);
  }

  it('tells the checkout to use Stripe.js with the publishable key, and takes no card itself', async () => {
    expect(paymentSetup.parse((await call(host.url, 'GET', '/api/payments/setup')).body)).toEqual({ provider: 'stripe', publishableKey: 'pk_test_bestbuy' });

    const product = await createProduct(host.url, { stock: 5 });
    const placed = placedOrder.parse((await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...UNPAID } })).body);
    const withCard = await call(host.url, 'POST', `/api/orders/${placed.orderId}/payment`, { body: { card: TEST_CARDS.success } });
    expect(withCard.status).toBe(400);
    expect((await orderOf(placed.orderId)).payment).toMatchObject({ status: 'unpaid', attempts: 0 });
  });

  it('starts an attempt as a PaymentIntent and answers its client secret; the order waits for Stripe', async () => {
    const order = await orderAwaitingStripe();

    expect(order).toMatchObject({ status: 'awaiting_payment', payment: { status: 'requires_action', provider: 'stripe', attempts: 1 } });
    expect(order.clientSecret).toMatch(/_secret_/);
  });

  it('marks the order paid from a signed payment_intent.succeeded, with the card as brand and last four, and sends it on', async () => {
    const order = await orderAwaitingStripe();

    const reply = await deliver(intentSucceeded(order.orderId));

    expect(reply.status).toBe(200);
    expect(webhookReceipt.parse(reply.body)).toEqual({ received: true, effect: 'recorded' });
    expect(await orderOf(order.orderId)).toMatchObject({ payment: { status: 'paid', method: { brand: 'visa', last4: '4242' } } });
    await eventually(async () => (await orderOf(order.orderId)).status === 'pending');
  });

  it('gives a replayed event no second effect', async () => {
    const order = await orderAwaitingStripe();
    const event = intentSucceeded(order.orderId);
    await deliver(event);
    const paid = await eventually(async () => {
      const now = await orderOf(order.orderId);
      return now.status === 'pending' && now;
    });

    const replay = await deliver(event);

    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ received: true, effect: 'unchanged' });
    expect(await orderOf(order.orderId)).toEqual(paid);
  });

  it('refuses a missing or wrong signature with 400 and changes nothing', async () => {
    const order = await orderAwaitingStripe();
    const event = intentSucceeded(order.orderId);
    const forged = signer.webhooks.generateTestHeaderString({ payload: event, secret: 'whsec_not_this_store' });

    for (const signature of [null, forged, 'garbage']) {
      const reply = await deliver(event, signature);
      expect(reply.status).toBe(400);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.body.error.code).toBe('invalid_signature');
    }
    expect(await orderOf(order.orderId)).toEqual(linkedOrder.parse(order));
  });

  it('records a decline in Stripe\'s words, and a payment after it on the same intent (another card in Stripe.js)', async () => {
    const order = await orderAwaitingStripe();

    expect((await deliver(failed(order.orderId))).body).toEqual({ received: true, effect: 'recorded' });
    expect(await orderOf(order.orderId)).toMatchObject({ status: 'awaiting_payment', payment: { status: 'failed', failure: 'Your card has insufficient funds.' } });

    expect((await deliver(intentSucceeded(order.orderId))).body).toEqual({ received: true, effect: 'recorded' });
    expect(await orderOf(order.orderId)).toMatchObject({ payment: { status: 'paid' } });
    // Late, after the payment: it changes nothing.
    expect((await deliver(failed(order.orderId))).body).toEqual({ received: true, effect: 'unchanged' });
    expect((await orderOf(order.orderId)).payment?.status).toBe('paid');
  });

  it('leaves an order alone for an attempt it moved past, giving back what such an attempt took, and answers 2xx to events about no order of this store', async () => {
    const order = await orderAwaitingStripe();
    const again = await call(host.url, 'POST', `/api/orders/${order.orderId}/payment`, { body: {} });
    expect(again.body.payment.attempts).toBe(2);
    const waiting = await orderOf(order.orderId);

    expect((await deliver(failed(order.orderId, 1))).body).toEqual({ received: true, effect: 'unchanged' });
    // Paid in a page left open on the first attempt: the order keeps waiting on the second, and that money goes back.
    expect((await deliver(intentSucceeded(order.orderId, 1))).body).toEqual({ received: true, effect: 'refunded' });
    expect(await orderOf(order.orderId)).toEqual(waiting);
    expect(waiting.payment).toMatchObject({ status: 'requires_action', attempts: 2 });
    expect((await deliver(intentSucceeded('no-such-order'))).body).toEqual({ received: true, effect: 'ignored' });
    const other = JSON.stringify({ id: 'evt_other', object: 'event', type: 'customer.created', data: { object: { id: 'cus_1', object: 'customer' } } });
    expect((await deliver(other)).body).toEqual({ received: true, effect: 'ignored' });
  });

  it('refunds a paid order that is cancelled, through Stripe', async () => {
    const order = await orderAwaitingStripe();
    await deliver(intentSucceeded(order.orderId));

    const cancelled = await call(host.url, 'POST', `/api/orders/${order.orderId}/cancel`);

    expect(cancelled.status).toBe(200);
    expect(await orderOf(order.orderId)).toMatchObject({ status: 'cancelled', payment: { status: 'refunded', refund: { amountCents: 2599 } } });
  });
});

describe('the Stripe webhook of a store that takes demo payments', () => {
  const host = useHost();

  it('answers 404 no_payment_webhook', async () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object: {} } });
    const reply = await call(host.url, 'POST', WEBHOOK, { raw: payload, headers: { 'stripe-signature': signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) } });

    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe('no_payment_webhook');
  });
});
