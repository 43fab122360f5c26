/**
 * Stripe.js, as the order page's payment step uses it (PAYMENT_PROVIDER=stripe): a chunk of its
 * own, imported only once GET /api/payments/setup said Stripe. The script itself always comes from
 * Stripe's origin, never from this build: Stripe requires that
 * (https://docs.stripe.com/js/including). The card is typed in the Payment Element, Stripe's own
 * frame, and goes to Stripe alone; this page only ever holds the PaymentIntent's client secret.
 *
 * The Payment Element is shown before any PaymentIntent exists (Stripe's deferred-intent flow,
 * https://docs.stripe.com/payments/accept-a-payment-deferred): looking at an unpaid order starts
 * no payment attempt (one would take an expired hold's stock again). Pay starts the attempt
 * (POST /orders/{id}/payment answers its client secret) and confirms it here with that secret.
 */
const STRIPE_JS = 'https://js.stripe.com/v3';

/** The few calls of Stripe.js this page makes (https://docs.stripe.com/js), typed here rather than with a dependency. */
interface StripeError {
  type: string;
  message?: string;
}
interface PaymentElement {
  mount(target: HTMLElement): void;
  destroy(): void;
}
interface Elements {
  create(type: 'payment'): PaymentElement;
  submit(): Promise<{ error?: StripeError }>;
}
interface Stripe {
  elements(options: { mode: 'payment'; amount: number; currency: string }): Elements;
  confirmPayment(options: {
    elements: Elements;
    clientSecret: string;
    confirmParams: { return_url: string };
    redirect: 'if_required';
  }): Promise<{ error?: StripeError; paymentIntent?: { status: string } }>;
}

declare global {
  interface Window {
    Stripe?: (publishableKey: string) => Stripe;
  }
}

let loading: Promise<NonNullable<Window['Stripe']>> | undefined;

/** Adds Stripe's script once per page load; a failed load is tried again next time. */
function loadStripeJs(): Promise<NonNullable<Window['Stripe']>> {
  loading ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = STRIPE_JS;
    script.async = true;
    script.onload = () => (window.Stripe ? resolve(window.Stripe) : reject(new Error('Stripe.js loaded without window.Stripe')));
    script.onerror = () => {
      script.remove();
      loading = undefined;
      reject(new Error('Stripe.js could not be loaded'));
    };
    document.head.append(script);
  });
  return loading;
}

/**
 * Stripe's words for a problem the customer can fix (a declined or incomplete card), as Stripe
 * advises; anything else in plain words of ours.
 */
const wordsFor = (error: StripeError) =>
  (error.type === 'card_error' || error.type === 'validation_error') && error.message ? error.message : 'The payment did not go through. Please try again.';

export interface StripeCheckout {
  /** Checks what was typed in Stripe's frame; a problem in Stripe's words, or '' when it may be paid. */
  check(): Promise<string>;
  /** Confirms the attempt's PaymentIntent with what was typed: '' once Stripe took it (the webhook then marks the order paid), or the problem. */
  pay(clientSecret: string): Promise<string>;
  destroy(): void;
}

/** Loads Stripe.js and mounts the Payment Element for this amount (in cents, USD) into `target`. */
export async function mountPaymentElement(publishableKey: string, target: HTMLElement, amountCents: number): Promise<StripeCheckout> {
  const stripe = (await loadStripeJs())(publishableKey);
  const elements = stripe.elements({ mode: 'payment', amount: amountCents, currency: 'usd' });
  const element = elements.create('payment');
  element.mount(target);
  return {
    async check() {
      const { error } = await elements.submit();
      return error ? wordsFor(error) : '';
    },
    async pay(clientSecret) {
      // Payment methods that leave for a bank's page come back to this order's page.
      const returnUrl = `${location.origin}${location.pathname}`;
      const { error } = await stripe.confirmPayment({ elements, clientSecret, confirmParams: { return_url: returnUrl }, redirect: 'if_required' });
      return error ? wordsFor(error) : '';
    },
    destroy: () => element.destroy(),
  };
}
