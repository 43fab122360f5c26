import type { Page } from 'playwright-core';
import type { PlaceOrderInput } from '../../src/domain/schemas.js';

type Recipient = Pick<PlaceOrderInput, 'customer' | 'shipping' | 'payment'>;

/** The demo provider's test cards as a shopper types them; any expiry in the future, any CVC. */
export const TEST_CARDS = {
  success: { number: '4242424242424242', expiry: '12/39', cvc: '123' },
  declined: { number: '4000000000000002', expiry: '12/39', cvc: '123' },
  insufficientFunds: { number: '4000000000009995', expiry: '12/39', cvc: '123' },
  threeDSecure: { number: '4000002500003155', expiry: '12/39', cvc: '123' },
} as const;

/**
 * The details every checkout needs (an email and a complete shipping address), and the demo's
 * success card so the order is paid in the same call and goes on to the makeline, for tests that
 * place orders.
 */
export const CHECKOUT: Required<Recipient> = {
  customer: { name: 'Ada Shopper', email: 'ada@example.com' },
  shipping: { name: 'Ada Shopper', street: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'United Kingdom' },
  payment: { card: TEST_CARDS.success },
};

/** The same details without the payment: the order waits unpaid, holding its stock. */
export const UNPAID: Recipient = { customer: CHECKOUT.customer, shipping: CHECKOUT.shipping };

/** The same details for a named shopper. */
export const checkoutFor = (name: string): Required<Recipient> => ({
  customer: { name, email: 'shopper@example.com' },
  shipping: { ...CHECKOUT.shipping, name },
  payment: CHECKOUT.payment,
});

type CheckoutLabel = 'Email' | 'Full name' | 'Street address' | 'City' | 'Postal code' | 'Country';
/** A card as typed into the form. */
type Card = { number: string; expiry: string; cvc: string };

/** 4242424242424242 → "4242 4242 4242 4242": a card number as printed, and as a shopper types it. */
export const spaced = (number: string) => number.replace(/(\d{4})(?=\d)/g, '$1 ');

/** Types a card (the success card unless told otherwise) into the page's one payment form: the checkout's, or an order's payment step. */
export async function fillCard(page: Page, card: Card = TEST_CARDS.success): Promise<void> {
  await page.getByLabel('Card number', { exact: true }).fill(spaced(card.number));
  await page.getByLabel('Expiry date (MM/YY)', { exact: true }).fill(card.expiry);
  await page.getByLabel('Security code (CVC)', { exact: true }).fill(card.cvc);
}

/** Fills the checkout's email and address as a shopper would (Ada's details unless told otherwise). */
export async function fillAddress(page: Page, details: Partial<Record<CheckoutLabel, string>> = {}): Promise<void> {
  const { shipping, customer } = CHECKOUT;
  const values = { Email: customer.email, 'Full name': shipping.name, 'Street address': shipping.street, City: shipping.city, 'Postal code': shipping.postalCode, Country: shipping.country, ...details };
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
}

/** Fills the whole checkout form: the email and address (Ada's unless told otherwise), and the card (the success card unless told). */
export async function fillCheckout(page: Page, details: Partial<Record<CheckoutLabel, string>> = {}, card: Card = TEST_CARDS.success): Promise<void> {
  await fillAddress(page, details);
  await fillCard(page, card);
}
