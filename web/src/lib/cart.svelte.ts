import { isId } from './api';
import { load, save } from './storage';

/** The cart keeps ids and quantities only; names, prices and stock always come fresh from the API. */
export interface CartLine {
  productId: string;
  quantity: number;
}

const KEY = 'bestbuy.cart';
/** The API takes at most 99 of one product and 50 distinct products per order. */
export const MAX_QUANTITY = 99;
export const MAX_LINES = 50;

function parse(value: unknown): CartLine[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const lines = new Map<string, number>();
  for (const entry of value as Array<Partial<CartLine> | null>) {
    const { productId, quantity } = entry ?? {};
    if (typeof productId !== 'string' || !isId(productId) || !Number.isInteger(quantity) || (quantity as number) < 1) continue;
    lines.set(productId, Math.min(MAX_QUANTITY, (lines.get(productId) ?? 0) + (quantity as number)));
  }
  return [...lines].slice(0, MAX_LINES).map(([productId, quantity]) => ({ productId, quantity }));
}

export const cart = $state({ lines: load(localStorage, KEY, parse) ?? [] });

// Another tab changed the cart: follow it.
window.addEventListener('storage', (event) => {
  if (event.key === KEY) cart.lines = load(localStorage, KEY, parse) ?? [];
});

export function persist(): void {
  save(localStorage, KEY, cart.lines);
}

export const cartCount = () => cart.lines.reduce((count, line) => count + line.quantity, 0);

export const quantityInCart = (productId: string) => cart.lines.find((line) => line.productId === productId)?.quantity ?? 0;

/** Adds up to `quantity`, never past `stock` (or the API's limits); returns how many were added. */
export function addToCart(productId: string, quantity: number, stock: number): number {
  const line = cart.lines.find((candidate) => candidate.productId === productId);
  const had = line?.quantity ?? 0;
  const added = Math.max(0, Math.min(quantity, stock - had, MAX_QUANTITY - had));
  if (added === 0 || (!line && cart.lines.length >= MAX_LINES)) return 0;
  if (line) line.quantity += added;
  else cart.lines.push({ productId, quantity: added });
  persist();
  return added;
}
