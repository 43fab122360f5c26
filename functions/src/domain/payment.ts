import type { Cents } from './money.js';

/**
 * Paying for an order: its payment's states, the demo provider's test cards and the rules of a
 * card, and when an unpaid order's stock goes back. No I/O: app/payments.ts does the steps.
 */

export const PAYMENT_STATUSES = ['unpaid', 'processing', 'requires_action', 'paid', 'failed', 'refund_pending', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const PAYMENT_PROVIDERS = ['demo', 'stripe'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/** What may be shown of a card: never its number, expiry or CVC. */
export interface PaymentMethod {
  brand: string;
  last4: string;
}

export interface Payment {
  status: PaymentStatus;
  provider: PaymentProviderName;
  /** Tries so far; the provider's idempotency key of the latest is paymentKey(orderId, attempts). */
  attempts: number;
  method?: PaymentMethod;
  /** The last decline, in words for the customer. */
  failure?: string;
  paidAt?: string;
  /** Set when a paid order is cancelled; `at` once the money went back. */
  refund?: { amountCents: Cents; at?: string };
  /** The provider's id of the charge (what a refund names); kept inside, never in a reply. */
  reference?: string;
}

/** A card as the demo provider takes it; only ever held in memory for one request. */
export interface Card {
  number: string;
  /** MM/YY */
  expiry: string;
  cvc: string;
}

/** The provider's idempotency key of one attempt: a retry of the same attempt is never a second charge. */
export const paymentKey = (orderId: string, attempts: number) => `${orderId}:${attempts}`;

/** An order is refunded once, whoever asks and however often. */
export const refundKey = (orderId: string) => `refund:${orderId}`;

export type DemoOutcome =
  | { outcome: 'paid' }
  | { outcome: 'declined'; code: string; message: string }
  | { outcome: 'requires_action' };

/** Stripe's well-known test numbers, which the demo provider answers as Stripe's test mode does. */
export const DEMO_TEST_CARDS = [
  { number: '4242424242424242', outcome: 'succeeds' },
  { number: '4000000000000002', outcome: 'declined' },
  { number: '4000000000009995', outcome: 'declined: insufficient funds' },
  { number: '4000002500003155', outcome: 'asks for a second confirmation (3-D Secure)' },
] as const;

export const SUCCESS_CARD_NUMBER = DEMO_TEST_CARDS[0].number;
export const DECLINED_CARD_NUMBER = DEMO_TEST_CARDS[1].number;

export const NOT_CONFIRMED = 'You did not confirm the payment.';

const DEMO_OUTCOMES: Readonly<Record<string, DemoOutcome>> = {
  '4242424242424242': { outcome: 'paid' },
  '4000000000000002': { outcome: 'declined', code: 'card_declined', message: 'Your card was declined.' },
  '4000000000009995': { outcome: 'declined', code: 'insufficient_funds', message: 'Your card has insufficient funds.' },
  '4000002500003155': { outcome: 'requires_action' },
};

/** What the demo provider does with a card: the test numbers exactly (no Luhn check), any other declined. */
export function demoOutcome(cardNumber: string): DemoOutcome {
  return (
    DEMO_OUTCOMES[cardNumber] ?? {
      outcome: 'declined',
      code: 'unknown_test_card',
      message: `No real money is taken here: use a test card, such as ${DEMO_TEST_CARDS.map((card) => spaced(card.number)).join(', ')}.`,
    }
  );
}

const spaced = (number: string) => number.replace(/(\d{4})(?=\d)/g, '$1 ');

/** The brand a card number's first digits name (the issuer ranges card forms use), or "card". */
export function cardBrand(number: string): string {
  if (/^4/.test(number)) return 'visa';
  if (/^(5[1-5]|222[1-9]|22[3-9]\d|2[3-6]\d\d|27[01]\d|2720)/.test(number)) return 'mastercard';
  if (/^3[47]/.test(number)) return 'amex';
  if (/^(6011|65|64[4-9])/.test(number)) return 'discover';
  return 'card';
}

export const methodOf = (card: Pick<Card, 'number'>): PaymentMethod => ({ brand: cardBrand(card.number), last4: card.number.slice(-4) });

/**
 * What is wrong with a card before anyone is asked to charge it, by field; empty when nothing is.
 * The expiry is good through the last day of its month, as on the card.
 */
export function cardProblems(card: Card, now: Date): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  if (!/^\d{12,19}$/.test(card.number)) problems.push({ path: 'card.number', message: 'must be 12 to 19 digits' });
  const expiry = /^(\d{2})\/(\d{2})$/.exec(card.expiry);
  const month = expiry ? Number(expiry[1]) : 0;
  if (!expiry || month < 1 || month > 12) {
    problems.push({ path: 'card.expiry', message: 'must be the month and year as MM/YY' });
  } else if (Date.UTC(2000 + Number(expiry[2]), month, 1) <= now.getTime()) {
    problems.push({ path: 'card.expiry', message: 'this card has expired' });
  }
  if (!/^\d{3,4}$/.test(card.cvc)) problems.push({ path: 'card.cvc', message: 'must be 3 or 4 digits' });
  return problems;
}

/** When a new order's hold ends: HOLD_MINUTES (as ms) after it was placed. */
export const holdExpiry = (now: Date, holdMs: number): string => new Date(now.getTime() + holdMs).toISOString();

interface Holding {
  status: string;
  payment?: Pick<Payment, 'status'> | undefined;
  holdExpiresAt?: string | undefined;
  holdReleased?: boolean | undefined;
}

/**
 * Whether the sweeper should give an unpaid order's stock back now: still awaiting payment, past
 * its hold, not already given back, and no payment deciding or decided at this moment.
 */
export function holdHasExpired(order: Holding, now: Date): boolean {
  if (order.status !== 'awaiting_payment' || order.holdReleased || !order.holdExpiresAt) return false;
  if (order.payment?.status === 'processing' || order.payment?.status === 'paid') return false;
  return Date.parse(order.holdExpiresAt) <= now.getTime();
}

/**
 * When the outbox sweeper has something to do with this order, or undefined: a payment or refund
 * left unfinished (from its last write on; the sweeper waits a while longer), or a hold to end.
 * The stores index it, so a sweep reads only the orders it has work for.
 */
export function sweepDueAt(order: Holding & { updatedAt: string }): string | undefined {
  if (order.payment?.status === 'processing' || order.payment?.status === 'refund_pending') return order.updatedAt;
  if (order.status === 'awaiting_payment' && !order.holdReleased) return order.holdExpiresAt;
  return undefined;
}

/** A charge as the provider decided it (or is still deciding it: requires_action). */
export type ChargeOutcome =
  | { outcome: 'paid'; reference: string; method: PaymentMethod }
  | { outcome: 'declined'; code: string; message: string; method?: PaymentMethod }
  /**
   * The customer has a step to take: the demo provider's confirmation (3-D Secure), or with Stripe
   * confirming the PaymentIntent in the browser with `clientSecret` (Stripe.js).
   */
  | { outcome: 'requires_action'; reference: string; method?: PaymentMethod; clientSecret?: string };
