import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { outcomeOf, StripePayments } from '../../src/adapters/stripe/stripePayments.js';
import type { StripeConfig } from '../../src/config.js';
import { StoreError } from '../../src/domain/errors.js';
import { sweepPayments } from '../../src/app/payments.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { attemptStarted } from '../../src/domain/paymentSteps.js';
import { UNPAID } from '../support/checkout.js';
import { addProduct, silentLog, tempServices } from '../support/services.js';
import { describeOnStripeMock } from '../support/stripeMock.js';

const WEBHOOK_SECRET = 'whsec_test_bestbuy';
const keys = { secretKey: 'sk_test_bestbuy', webhookSecret: WEBHOOK_SECRET, publishableKey: 'pk_test_bestbuy' };

interface Recorded {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  /** The form body Stripe's API takes, decoded. */
  form: URLSearchParams;
}

/** An answer Stripe gives that stripe-mock never does: an error for the next request to that path. */
interface Refusal {
  method: string;
  path: string;
  status: number;
  error: { type: string; code: string; message: string };
}

/** Passes every request on to stripe-mock and keeps what the adapter sent, as Stripe would receive it. */
async function recordingProxy(target: () => URL): Promise<{ url: URL; requests: Recorded[]; refuseNext: Refusal[]; close(): Promise<void> }> {
  const requests: Recorded[] = [];
  const refuseNext: Refusal[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(incoming.url ?? '/', 'http://proxy');
      requests.push({
        method: incoming.method ?? '',
        path: url.pathname,
        idempotencyKey: incoming.headers['idempotency-key'] as string | undefined,
        form: new URLSearchParams(incoming.method === 'GET' ? url.search : body.toString()),
      });
      const refusal = refuseNext.findIndex((each) => each.method === incoming.method && each.path === url.pathname);
      if (refusal >= 0) {
        const [{ status, error }] = refuseNext.splice(refusal, 1) as [Refusal];
        outgoing.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_refused' });
        outgoing.end(JSON.stringify({ error }));
        return;
      }
      const forward = httpRequest(new URL(incoming.url ?? '/', target()), { method: incoming.method, headers: incoming.headers }, (reply) => {
        outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
        reply.pipe(outgoing);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    requests,
    refuseNext,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}

describeOnStripeMock('Stripe payments on stripe-mock', (mock) => {
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  let payments: StripePayments;
  beforeAll(async () => {
    proxy = await recordingProxy(() => mock().url);
    payments = new StripePayments({ ...keys, apiUrl: proxy.url });
  });
  afterAll(async () => proxy?.close());
  beforeEach(() => {
    proxy.requests.length = 0;
  });

  it('takes no card itself, and gives the browser its publishable key', () => {
    expect(payments.takesCard).toBe(false);
    expect(payments.setup()).toEqual({ provider: 'stripe', publishableKey: 'pk_test_bestbuy' });
  });

  it('creates one PaymentIntent per attempt, keyed by the attempt, and hands back its client secret', async () => {
    const outcome = await payments.charge({ idempotencyKey: 'order-1:1', orderId: 'order-1', amountCents: 4599, currency: 'USD' });

    expect(outcome).toMatchObject({ outcome: 'requires_action', reference: expect.stringMatching(/^pi_/), clientSecret: expect.stringMatching(/_secret_/) });
    // stripe-mock checked these against Stripe's OpenAPI spec; here is what it was sent.
    const [sent] = proxy.requests;
    expect(sent).toMatchObject({ method: 'POST', path: '/v1/payment_intents', idempotencyKey: 'order-1:1' });
    expect(Object.fromEntries(sent!.form)).toMatchObject({
      amount: '4599',
      currency: 'usd',
      'metadata[orderId]': 'order-1',
      'metadata[idempotencyKey]': 'order-1:1',
      'automatic_payment_methods[enabled]': 'true',
    });
  });

  it('reads an intent back with its card, by the reference, to learn whether it was paid', async () => {
    const outcome = await payments.confirm({ reference: 'pi_bestbuy1' });

    expect(proxy.requests[0]).toMatchObject({ method: 'GET', path: '/v1/payment_intents/pi_bestbuy1' });
    expect([...proxy.requests[0]!.form]).toEqual([['expand[0]', 'payment_method']]);
    // stripe-mock's intent waits for a payment method; its card shows as brand and last four only.
    expect(outcome).toEqual({ outcome: 'requires_action', reference: 'pi_bestbuy1', method: { brand: 'visa', last4: '4242' }, clientSecret: expect.any(String) });
  });

  it('finds an attempt by its idempotency key, for the sweeper to finish what a crash cut short', async () => {
    const outcome = await payments.find('order-1:2');

    expect(proxy.requests[0]).toMatchObject({ method: 'GET', path: '/v1/payment_intents/search' });
    expect(proxy.requests[0]!.form.get('query')).toBe("metadata['idempotencyKey']:'order-1:2'");
    expect(outcome).toMatchObject({ outcome: 'requires_action', reference: expect.stringMatching(/^pi_/) });
  });

  it('refunds the payment once, keyed by the order', async () => {
    const refund = await payments.refund({ idempotencyKey: 'refund:order-1', reference: 'pi_bestbuy1', amountCents: 4599 });

    expect(refund.reference).toMatch(/^re_/);
    expect(proxy.requests[0]).toMatchObject({ method: 'POST', path: '/v1/refunds', idempotencyKey: 'refund:order-1' });
    expect(Object.fromEntries(proxy.requests[0]!.form)).toEqual({ payment_intent: 'pi_bestbuy1', amount: '4599' });
  });

  it('answers the refund there is when Stripe says the payment was refunded already (a repeat past its idempotency window)', async () => {
    proxy.refuseNext.push({
      method: 'POST',
      path: '/v1/refunds',
      status: 400,
      error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge ch_1 has already been refunded.' },
    });

    const refund = await payments.refund({ idempotencyKey: 'refund:order-3', reference: 'pi_bestbuy3', amountCents: 1200 });

    expect(proxy.requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['POST /v1/refunds', 'GET /v1/refunds']);
    expect(proxy.requests[1]!.form.get('payment_intent')).toBe('pi_bestbuy3');
    expect(refund.reference).toMatch(/^re_/);
  });

  it('reads the card of a signed succeeded event, which names it by id, for its brand and last four', async () => {
    const payload = JSON.stringify({
      id: 'evt_2',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_7', object: 'payment_intent', status: 'succeeded', metadata: { orderId: 'order-7', idempotencyKey: 'order-7:2' }, payment_method: 'pm_7' } },
    });
    const header = new Stripe('sk_test_unused').webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });

    const read = await payments.readEvent(new TextEncoder().encode(payload), header);

    expect(proxy.requests.map(({ method, path }) => `${method} ${path}`)).toEqual(['GET /v1/payment_methods/pm_7']);
    expect(read).toMatchObject({ kind: 'charge', orderId: 'order-7', idempotencyKey: 'order-7:2', outcome: { outcome: 'paid', reference: 'pi_7', method: { brand: 'visa', last4: '4242' } } });
  });

  it('lets the outbox sweeper finish an attempt a crash left processing, by asking for its key', async () => {
    const store = tempServices();
    try {
      const services = { ...store, payments };
      const product = await addProduct(store);
      const { order } = await placeOrder(services, { items: [{ productId: product.id, quantity: 1 }], ...UNPAID }, undefined, silentLog);
      // The crash: the attempt was written processing a minute ago, and what Stripe answered was never recorded.
      const crashed = attemptStarted(order, 'stripe', new Date(Date.now() - 60_000));
      expect((await store.orders.replace(crashed, order.version)).outcome).toBe('replaced');
      proxy.requests.length = 0;

      const swept = await sweepPayments(services, silentLog);

      expect(swept.paymentsFinished).toBe(1);
      expect(proxy.requests.map(({ method, path, form }) => `${method} ${path} ${form.get('query')}`)).toEqual([
        `GET /v1/payment_intents/search metadata['idempotencyKey']:'${order.orderId}:1'`,
      ]);
      // stripe-mock's intent waits for the customer; so does the order, now with the intent's reference.
      expect((await store.orders.get(order.orderId))?.payment).toMatchObject({ status: 'requires_action', attempts: 1, reference: expect.stringMatching(/^pi_/) });
    } finally {
      await store.dispose();
    }
  });

  it('answers 503 payment_provider_unavailable, never a decision, when Stripe cannot be reached', async () => {
    const unreachable = new StripePayments({ ...keys, apiUrl: new URL('http://127.0.0.1:1') });

    const failure = await unreachable.charge({ idempotencyKey: 'order-2:1', orderId: 'order-2', amountCents: 100, currency: 'USD' }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({ kind: 'unavailable', code: 'payment_provider_unavailable' });
  });
});

/** An intent as Stripe sends it, with only the fields the adapter reads filled in. */
const intent = (fields: Partial<Stripe.PaymentIntent>): Stripe.PaymentIntent =>
  ({ id: 'pi_1', object: 'payment_intent', status: 'requires_payment_method', metadata: {}, payment_method: null, last_payment_error: null, client_secret: 'pi_1_secret_x', ...fields }) as Stripe.PaymentIntent;

const card = (brand: string, last4: string) => ({ id: 'pm_1', object: 'payment_method', type: 'card', card: { brand, last4 } }) as unknown as Stripe.PaymentMethod;

describe('what a PaymentIntent means for its order', () => {
  it('succeeded: paid, with the card as brand and last four', () => {
    expect(outcomeOf(intent({ status: 'succeeded', payment_method: card('mastercard', '4444') }))).toEqual({
      outcome: 'paid',
      reference: 'pi_1',
      method: { brand: 'mastercard', last4: '4444' },
    });
  });

  it('back to requires_payment_method with an error: declined, in Stripe\'s words for the customer', () => {
    const declined = intent({
      payment_method: card('visa', '0002'),
      last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
    });
    expect(outcomeOf(declined)).toEqual({ outcome: 'declined', code: 'insufficient_funds', message: 'Your card has insufficient funds.', method: { brand: 'visa', last4: '0002' } });
  });

  it('canceled: declined', () => {
    expect(outcomeOf(intent({ status: 'canceled' }))).toMatchObject({ outcome: 'declined', code: 'canceled' });
  });

  it.each(['requires_payment_method', 'requires_action', 'requires_confirmation', 'processing'] as const)('%s without an error: waits for the customer or the bank', (status) => {
    expect(outcomeOf(intent({ status }))).toEqual({ outcome: 'requires_action', reference: 'pi_1', clientSecret: 'pi_1_secret_x' });
  });
});

describe('Stripe webhook events', () => {
  const payments = new StripePayments({ ...keys, apiUrl: new URL('http://127.0.0.1:1') } as StripeConfig);
  const stripe = new Stripe('sk_test_unused');
  const event = (type: string, object: Record<string, unknown>) => JSON.stringify({ id: 'evt_1', object: 'event', type, data: { object } });
  const failed = event('payment_intent.payment_failed', {
    id: 'pi_9',
    object: 'payment_intent',
    status: 'requires_payment_method',
    metadata: { orderId: 'order-9', idempotencyKey: 'order-9:1' },
    payment_method: null,
    last_payment_error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' },
  });
  const signed = (payload: string, secret = WEBHOOK_SECRET, timestamp?: number) =>
    stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp === undefined ? {} : { timestamp }) });
  const bytes = (text: string) => new TextEncoder().encode(text);

  it('reads a signed event about an intent as its order, its attempt and what Stripe decided', async () => {
    expect(await payments.readEvent(bytes(failed), signed(failed))).toEqual({
      kind: 'charge',
      eventId: 'evt_1',
      type: 'payment_intent.payment_failed',
      orderId: 'order-9',
      idempotencyKey: 'order-9:1',
      outcome: { outcome: 'declined', code: 'generic_decline', message: 'Your card was declined.' },
    });
  });

  // The API address above is unreachable: a refusal that called Stripe would answer 503 instead.
  it.each([
    ['no signature', () => payments.readEvent(bytes(failed), null)],
    ['another secret', () => payments.readEvent(bytes(failed), signed(failed, 'whsec_someone_else'))],
    ['a changed body', () => payments.readEvent(bytes(failed.replace('order-9', 'order-8')), signed(failed))],
    ['a signature older than five minutes', () => payments.readEvent(bytes(failed), signed(failed, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 600))],
    ['a header that is not a signature', () => payments.readEvent(bytes(failed), 'v1=nothing')],
  ])('refuses %s with 400 invalid_signature, before anything else', async (_, read) => {
    await expect(read()).rejects.toMatchObject({ kind: 'invalid', code: 'invalid_signature' });
  });

  it('ignores events that decide no order: other types, and intents the store did not make', async () => {
    const refund = event('charge.refunded', { id: 'ch_1', object: 'charge' });
    const foreign = event('payment_intent.succeeded', { id: 'pi_x', object: 'payment_intent', status: 'succeeded', metadata: {} });

    expect(await payments.readEvent(bytes(refund), signed(refund))).toEqual({ kind: 'ignored', eventId: 'evt_1', type: 'charge.refunded' });
    expect(await payments.readEvent(bytes(foreign), signed(foreign))).toEqual({ kind: 'ignored', eventId: 'evt_1', type: 'payment_intent.succeeded' });
  });
});
