import { apiPath, getJson } from './api';
import { signedIn } from './session';

/** The checkout's fields, by their names in the form. */
export type CheckoutFields = Record<'email' | 'name' | 'street' | 'city' | 'postalCode' | 'country', string>;

/**
 * What a signed-in customer used last time (GET /api/me/checkout-defaults), as the checkout's
 * fields; nothing for a guest or before their first order. Best effort: the checkout works without it.
 */
export async function lastCheckoutDetails(): Promise<Partial<CheckoutFields>> {
  if (!(await signedIn())) return {};
  const last = await getJson(apiPath('me/checkout-defaults')).catch(() => null);
  if (!last) return {};
  const { name, email } = last.customer;
  return { ...(email && { email }), ...(name && { name }), ...last.shipping };
}
