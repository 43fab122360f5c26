const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Prices travel as integer cents; only the screen sees dollars. */
export const money = (cents: number) => usd.format(cents / 100);

/** Few enough left to say how many. */
export const LOW_STOCK = 5;

export function stockLabel(stock: number): string {
  if (stock <= 0) return 'Out of stock';
  if (stock <= LOW_STOCK) return `Only ${stock} left`;
  return 'In stock';
}

