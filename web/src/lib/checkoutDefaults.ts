import { getJson } from './api';
import { signedIn } from './session';

/** GET /api/me/checkout-defaults: the signed-in customer's details from their newest order. */
export interface CheckoutDefaults {
  orderId: string | null;
  customer: { name?: string; email?: string };
}

/**
 * Fills the checkout's empty fields with what a signed-in customer used last time; a guest's form,
 * or a field they already typed in, is left as it is. Best effort: the checkout works without it.
 */
export async function prefillCheckout(form: HTMLFormElement): Promise<void> {
  if (!(await signedIn())) return;
  const defaults = await getJson<CheckoutDefaults>('/me/checkout-defaults').catch(() => null);
  for (const [field, value] of Object.entries(defaults?.customer ?? {})) {
    const input = form.elements.namedItem(field);
    if (input instanceof HTMLInputElement && !input.value && value) input.value = value;
  }
}
