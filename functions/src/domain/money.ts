/** Money is always an integer count of minor units (cents) in one currency. */
export type Cents = number;

/** Largest single price the store accepts: keeps every order total a safe integer. */
export const MAX_PRICE_CENTS = 100_000_000;

export function lineTotal(unitPriceCents: Cents, quantity: number): Cents {
  return unitPriceCents * quantity;
}

export function sumCents(amounts: readonly Cents[]): Cents {
  return amounts.reduce((total, amount) => total + amount, 0);
}
