import type { Page } from 'playwright-core';
import type { PlaceOrderInput } from '../../src/domain/schemas.js';

type Recipient = Pick<PlaceOrderInput, 'customer' | 'shipping'>;

/** The details every checkout needs (an email and a complete shipping address), for tests that place orders. */
export const CHECKOUT: Recipient = {
  customer: { name: 'Ada Shopper', email: 'ada@example.com' },
  shipping: { name: 'Ada Shopper', street: '12 Analytical Row', city: 'London', postalCode: 'N1 9GU', country: 'United Kingdom' },
};

/** The same details for a named shopper. */
export const checkoutFor = (name: string): Recipient => ({
  customer: { name, email: 'shopper@example.com' },
  shipping: { ...CHECKOUT.shipping, name },
});

type CheckoutLabel = 'Email' | 'Full name' | 'Street address' | 'City' | 'Postal code' | 'Country';

/** Fills the storefront's checkout form as a shopper would (Ada's details unless told otherwise). */
export async function fillCheckout(page: Page, details: Partial<Record<CheckoutLabel, string>> = {}): Promise<void> {
  const { shipping, customer } = CHECKOUT;
  const values = { Email: customer.email, 'Full name': shipping.name, 'Street address': shipping.street, City: shipping.city, 'Postal code': shipping.postalCode, Country: shipping.country, ...details };
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
}
