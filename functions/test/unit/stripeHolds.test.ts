import Stripe from 'stripe';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StripePayments } from '../../src/adapters/stripe/stripePayments.js';
import { receivePaymentEvent } from '../../src/app/paymentEvents.js';
import { payOrder, sweepPayments } from '../../src/app/payments.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { SOLD_OUT_WHILE_PAYING } from '../../src/domain/paymentSteps.js';
import type { Services } from '../../src/ports.js';
import { UNPAID } from '../support/checkout.js';
import { addProduct, silentLog, tempServices } from '../support/services.js';
import { describeOnStripeMock } from '../support/stripeMock.js';

const WEBHOOK_SECRET = 'whsec_test_holds';
const signer = new Stripe('sk_test_unused');

/**
 * With Stripe the customer pays on Stripe's page, so a payment can come after the order's hold
 * ended and its stock went back: the stock is taken again, or, gone, the order is rejected and
 * refunded. Never paid without its stock (the makeline takes none for a paid order).
 */
describeOnStripeMock('a Stripe payment that comes after the hold ended', (mock) => {
  let store: ReturnType<typeof tempServices>;
  let services: Services;
  beforeEach(() => {
    // The shortest hold, 0.6 s: over by the time the sweeper runs.
    store = tempServices({ HOLD_MINUTES: '0.01' });
    services = { ...store, payments: new StripePayments({ secretKey: 'sk_test_holds', webhookSecret: WEBHOOK_SECRET, publishableKey: 'pk_test_holds', apiUrl: mock().url }) };
  });
  afterEach(() => store?.dispose());

  /** An order of the one unit in stock whose Stripe attempt started, then whose hold ended and went back. */
  async function heldThenReleased() {
    const product = await addProduct(store, { stock: 1 });
    const { order } = await placeOrder(services, { items: [{ productId: product.id, quantity: 1 }], ...UNPAID }, undefined, silentLog);
    await payOrder(services, order.orderId, undefined, null, silentLog);
    await new Promise((ended) => setTimeout(ended, 700));
    expect((await sweepPayments(services, silentLog)).holdsReleased).toBe(1);
    expect((await store.products.get(product.id))?.stock).toBe(1);
    return { product, orderId: order.orderId };
  }

  const succeeded = (orderId: string) => {
    const payload = JSON.stringify({
      id: `evt_${orderId}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: `pi_${orderId}`, object: 'payment_intent', status: 'succeeded', payment_method: 'pm_card_visa', metadata: { orderId, idempotencyKey: `${orderId}:1` } } },
    });
    return receivePaymentEvent(services, new TextEncoder().encode(payload), signer.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }), silentLog);
  };

  it('takes the stock again, then records the payment', async () => {
    const { product, orderId } = await heldThenReleased();

    expect(await succeeded(orderId)).toBe('recorded');

    expect(await store.orders.get(orderId)).toMatchObject({ status: 'received', payment: { status: 'paid' } });
    expect((await store.products.get(product.id))?.stock).toBe(0);
  });

  it('rejects the order and refunds it when the stock went to another order meanwhile, once however often the event comes', async () => {
    const { product, orderId } = await heldThenReleased();
    await placeOrder(services, { items: [{ productId: product.id, quantity: 1 }], ...UNPAID }, undefined, silentLog);

    expect(await succeeded(orderId)).toBe('recorded');
    expect(await succeeded(orderId)).toBe('unchanged');

    expect(await store.orders.get(orderId)).toMatchObject({
      status: 'rejected',
      history: expect.arrayContaining([expect.objectContaining({ status: 'rejected', reason: SOLD_OUT_WHILE_PAYING })]),
      payment: { status: 'refunded', refund: { amountCents: 1500, at: expect.any(String) } },
    });
    expect((await store.products.get(product.id))?.stock).toBe(0);
    const refunds = (await store.audit.list({ limit: 10 })).items.filter((entry) => entry.action === 'order.refund' && entry.target === orderId);
    expect(refunds).toHaveLength(1);
  });
});
