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

type CheckoutLabel = 'Email' | 'Full name' | 'Street address' | 'City' | 'Postal code' | 'Country' | CardLabel;
type CardLabel = 'Card number' | 'Expiry date (MM/YY)' | 'Security code (CVC)';

/** The demo provider's test cards (Stripe's own test numbers), as a shopper types them. */
export const CARDS = {
  paid: '4242 4242 4242 4242',
  declined: '4000 0000 0000 0002',
  insufficientFunds: '4000 0000 0000 9995',
  confirm: '4000 0025 0000 3155',
} as const;

/** A card's three fields (the success card unless told otherwise), in the checkout or on an order's payment step. */
export function cardFields(number: string = CARDS.paid): Record<CardLabel, string> {
  return { 'Card number': number, 'Expiry date (MM/YY)': `12/${String((new Date().getUTCFullYear() + 2) % 100).padStart(2, '0')}`, 'Security code (CVC)': '123' };
}

/** Types a card into the page's one payment form. */
export async function fillCard(page: Page, number: string = CARDS.paid): Promise<void> {
  for (const [label, value] of Object.entries(cardFields(number))) await page.getByLabel(label, { exact: true }).fill(value);
}

/** Fills the storefront's checkout form as a shopper would (Ada's details and the success card unless told otherwise). */
export async function fillCheckout(page: Page, details: Partial<Record<CheckoutLabel, string>> = {}): Promise<void> {
  const { shipping, customer } = CHECKOUT;
  const values = { Email: customer.email, 'Full name': shipping.name, 'Street address': shipping.street, City: shipping.city, 'Postal code': shipping.postalCode, Country: shipping.country, ...cardFields(), ...details };
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
}
