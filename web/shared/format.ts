const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Prices travel as integer cents; only the screen sees dollars. */
export const money = (cents: number) => usd.format(cents / 100);
