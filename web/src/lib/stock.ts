/** Few enough left to say how many. */
export const LOW_STOCK = 5;

export function stockLabel(stock: number): string {
  if (stock <= 0) return 'Out of stock';
  if (stock <= LOW_STOCK) return `Only ${stock} left`;
  return 'In stock';
}
