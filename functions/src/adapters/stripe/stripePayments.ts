import Stripe from 'stripe';
import type { StripeConfig } from '../../config.js';
import { invalidSignature, paymentProviderUnavailable } from '../../domain/errors.js';
import type { ChargeOutcome, PaymentMethod } from '../../domain/payment.js';
import type { ChargeRequest, PaymentEvent, PaymentProvider, PaymentSetup } from '../../ports.js';

/** The events that decide an attempt; Stripe sends many more to an endpoint subscribed to all. */
const CHARGE_EVENTS: ReadonlySet<string> = new Set(['payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.canceled']);

/**
 * Stripe's PaymentIntents: one intent per attempt, created with the attempt's idempotency key, and
 * paid in the browser with Stripe.js and its clientSecret, so no card detail ever reaches the
 * store. An attempt is decided only by what Stripe says of the intent: a verified webhook event,
 * or the intent read back (confirm, find). Every call that fails to reach Stripe is a 503 the
 * caller may repeat: each one that changes something carries an idempotency key.
 */
export class StripePayments implements PaymentProvider {
  readonly name = 'stripe';
  /** The card is entered in Stripe.js and goes to Stripe alone. */
  readonly takesCard = false;
  private readonly stripe: Stripe;

  constructor(private readonly config: StripeConfig) {
    this.stripe = new Stripe(config.secretKey, {
      ...(config.apiUrl ? apiAddress(config.apiUrl) : {}),
      // The pipeline's caller retries on a 503; one retry here keeps a blip from reaching the customer.
      maxNetworkRetries: 1,
      timeout: 20_000,
      telemetry: false,
    });
  }

  setup(): PaymentSetup {
    return { provider: 'stripe', publishableKey: this.config.publishableKey };
  }

  async charge({ idempotencyKey, orderId, amountCents, currency }: ChargeRequest): Promise<ChargeOutcome> {
    const intent = await this.call(() =>
      this.stripe.paymentIntents.create(
        {
          amount: amountCents,
          // Stripe spells currencies in lower case.
          currency: currency.toLowerCase(),
          // The webhook and find() tie an intent back to its order and attempt by these.
          metadata: { orderId, idempotencyKey },
          automatic_payment_methods: { enabled: true },
        },
        { idempotencyKey },
      ),
    );
    // A new intent waits for the customer whatever the status shows: a repeat with the same key
    // gets the reply Stripe saved at creation, never the intent's state now (confirm reads that).
    return { outcome: 'requires_action', reference: intent.id, ...clientSecretOf(intent) };
  }

  /**
   * The customer confirms in Stripe.js, not here: this reads the intent back, with its card, to
   * learn what Stripe decided (`approve` has no meaning for Stripe).
   */
  async confirm({ reference }: { reference: string }): Promise<ChargeOutcome> {
    return outcomeOf(await this.call(() => this.stripe.paymentIntents.retrieve(reference, { expand: ['payment_method'] })));
  }

  /**
   * By the metadata the attempt was created with. Stripe's search lags writes (under a minute
   * normally), which is safe here: an intent search misses is one whose clientSecret never
   * reached a browser (the crash came before the store answered), so nobody can pay it.
   */
  async find(idempotencyKey: string): Promise<ChargeOutcome | null> {
    const found = await this.call(() =>
      this.stripe.paymentIntents.search({ query: `metadata['idempotencyKey']:'${searchValue(idempotencyKey)}'`, limit: 1, expand: ['data.payment_method'] }),
    );
    const intent = found.data[0];
    return intent ? outcomeOf(intent) : null;
  }

  /**
   * Once: a repeat within Stripe's idempotency window gets the same Refund; one after it (Stripe may
   * prune a key after 24 hours) is refused as already refunded, and answers the Refund there is.
   */
  async refund({ idempotencyKey, reference, amountCents }: { idempotencyKey: string; reference: string; amountCents: number }): Promise<{ reference: string }> {
    try {
      return { reference: (await this.stripe.refunds.create({ payment_intent: reference, amount: amountCents }, { idempotencyKey })).id };
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeInvalidRequestError && error.code === 'charge_already_refunded')) throw paymentProviderUnavailable(error);
    }
    const [made] = (await this.call(() => this.stripe.refunds.list({ payment_intent: reference, limit: 1 }))).data;
    if (!made) throw paymentProviderUnavailable(new Error(`Stripe says ${reference} is refunded but lists no refund of it`));
    return { reference: made.id };
  }

  /**
   * The SDK checks the signature over the exact bytes received, and its timestamp within 5
   * minutes, before anything else. The intent in the event is Stripe's signed word on the attempt
   * (reading it back would add nothing a signature does not prove); only its card, which an event
   * names by id, is read, for its brand and last four.
   */
  async readEvent(payload: Uint8Array, signature: string | null): Promise<PaymentEvent> {
    if (!signature) throw invalidSignature('no Stripe-Signature header');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(payload, signature, this.config.webhookSecret);
    } catch (error) {
      throw invalidSignature(error instanceof Error ? error.message : String(error));
    }
    if (!CHARGE_EVENTS.has(event.type)) return { kind: 'ignored', eventId: event.id, type: event.type };
    const intent = event.data.object as Stripe.PaymentIntent;
    const { orderId, idempotencyKey } = intent.metadata ?? {};
    if (!orderId || !idempotencyKey) return { kind: 'ignored', eventId: event.id, type: event.type };
    const method = intent.payment_method;
    const withCard = typeof method === 'string' ? { ...intent, payment_method: await this.call(() => this.stripe.paymentMethods.retrieve(method)) } : intent;
    return { kind: 'charge', eventId: event.id, type: event.type, orderId, idempotencyKey, outcome: outcomeOf(withCard) };
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      // Stripe's own words stay in the log (the pipeline logs a StoreError's cause); the customer
      // gets a plain 503. A card decline never arrives here: the browser confirms, not the store.
      throw paymentProviderUnavailable(error);
    }
  }
}

/** STRIPE_API_URL (stripe-mock in the tests) as the SDK's host, port and protocol options. */
function apiAddress(url: URL): Pick<Stripe.StripeConfig, 'host' | 'port' | 'protocol'> {
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port || (protocol === 'http' ? 80 : 443), protocol };
}

/** Single quotes and backslashes escaped as Stripe's search query language asks; keys are ids and digits anyway. */
const searchValue = (text: string) => text.replace(/[\\']/g, (char) => `\\${char}`);

const clientSecretOf = (intent: Stripe.PaymentIntent) => (intent.client_secret ? { clientSecret: intent.client_secret } : {});

/**
 * Brand and last four of the card, when the intent's payment method was expanded; for another
 * kind of method (a wallet, a bank), its kind and no digits.
 */
function methodOf(intent: Stripe.PaymentIntent): { method?: PaymentMethod } {
  const method = intent.payment_method;
  if (typeof method !== 'object' || method === null) return {};
  return { method: method.card ? { brand: method.card.brand, last4: method.card.last4 } : { brand: method.type, last4: '' } };
}

/** What the intent's status means for its order. */
export function outcomeOf(intent: Stripe.PaymentIntent): ChargeOutcome {
  const method = methodOf(intent);
  if (intent.status === 'succeeded') {
    return { outcome: 'paid', reference: intent.id, method: method.method ?? { brand: 'unknown', last4: '' } };
  }
  if (intent.status === 'canceled') {
    return { outcome: 'declined', code: 'canceled', message: 'The payment was cancelled.', ...method };
  }
  // Back to requires_payment_method with an error: the last try was declined; the customer may try again.
  const failure = intent.last_payment_error;
  if (intent.status === 'requires_payment_method' && failure?.message) {
    return { outcome: 'declined', code: failure.decline_code ?? failure.code ?? 'card_declined', message: failure.message, ...method };
  }
  // Waiting on the customer (a card to enter, 3-D Secure) or on the bank (processing): the webhook decides.
  return { outcome: 'requires_action', reference: intent.id, ...method, ...clientSecretOf(intent) };
}
