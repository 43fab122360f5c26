import { apiPath, getJson, type GetReply, type Order } from './api';

/**
 * Paying for an order, as the storefront does it: the card as typed (it goes to the API once and
 * is kept nowhere, not even in sessionStorage), the demo provider's test cards, and the words for
 * a payment's state. Loaded with the cart and order pages only, never with the first load.
 */
export interface Card {
  number: string;
  /** MM/YY */
  expiry: string;
  cvc: string;
}

export type PaymentSetup = GetReply<'payments/setup'>;
export type Payment = NonNullable<Order['payment']>;

let setup: Promise<PaymentSetup | null> | undefined;

/** How this store takes payment (GET /api/payments/setup), asked once per page load; null if it cannot be read. */
export function paymentSetup(): Promise<PaymentSetup | null> {
  setup ??= getJson(apiPath('payments/setup')).catch(() => {
    setup = undefined; // ask again next time
    return null;
  });
  return setup;
}

/** 4242424242424242 → "4242 4242 4242 4242": how card numbers are read aloud and printed. */
export const grouped = (number: string) => number.replace(/\D/g, '').replace(/(\d{4})(?=\d)/g, '$1 ');

/** The payment's state in words, for the order page. */
export const PAYMENT_STATUS: Record<Payment['status'], string> = {
  unpaid: 'Not paid yet',
  processing: 'Being processed',
  requires_action: 'Waiting for your confirmation',
  paid: 'Paid',
  failed: 'Not paid: the last try failed',
  refund_pending: 'Refund under way',
  refunded: 'Refunded',
};

/**
 * An order the customer can still pay for: waiting, and no payment decided or under way. With
 * Stripe, an attempt waiting for the customer (requires_action) is paid in Stripe.js, on this page.
 */
export const payable = (order: Order) =>
  order.status === 'awaiting_payment' && !!order.payment &&
  (['unpaid', 'failed'].includes(order.payment.status) || (order.payment.status === 'requires_action' && order.payment.provider === 'stripe'));

/** Checks a card as the demo provider will, so most mistakes are named beside their field before anything is sent. */
export function cardProblems(card: Card, now = new Date()): Partial<Record<keyof Card, string>> {
  const problems: Partial<Record<keyof Card, string>> = {};
  const digits = card.number.replace(/[\s-]/g, '');
  if (!digits) problems.number = 'Enter the card number.';
  else if (!/^\d{12,19}$/.test(digits)) problems.number = 'Enter the 12 to 19 digits on the front of the card.';
  const expiry = /^(\d{2})\s*\/?\s*(\d{2})$/.exec(card.expiry.trim());
  const month = Number(expiry?.[1]);
  if (!card.expiry.trim()) problems.expiry = 'Enter the expiry date, as MM/YY.';
  else if (!expiry || month < 1 || month > 12) problems.expiry = 'Enter the expiry date as MM/YY, for example 04/29.';
  // A card is good until the end of its expiry month.
  else if (new Date(2000 + Number(expiry[2]), month, 1) <= now) problems.expiry = 'This card has expired: use another one.';
  if (!card.cvc.trim()) problems.cvc = 'Enter the security code.';
  else if (!/^\d{3,4}$/.test(card.cvc.trim())) problems.cvc = 'Enter the 3 or 4 digits of the security code.';
  return problems;
}

/** The card as the API takes it: digits only, expiry as MM/YY. Call after cardProblems found none. */
export function cleanCard(card: Card): Card {
  const [, month, year] = /^(\d{2})\s*\/?\s*(\d{2})$/.exec(card.expiry.trim())!;
  return { number: card.number.replace(/[\s-]/g, ''), expiry: `${month}/${year}`, cvc: card.cvc.trim() };
}
