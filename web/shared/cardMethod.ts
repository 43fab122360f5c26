/** Kept out of format.ts, which the first load imports: only order pages show how an order was paid. */

/** "Visa ending in 4242": all a page ever shows of a card. */
export const methodWords = (method: { brand: string; last4: string }) =>
  `${method.brand.charAt(0).toUpperCase()}${method.brand.slice(1)} ending in ${method.last4}`;
