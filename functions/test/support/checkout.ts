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
