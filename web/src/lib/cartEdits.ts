import { cart, MAX_QUANTITY, persist } from './cart.svelte';

/** What only the cart page does to the cart, kept out of the first load. */

export function setQuantity(productId: string, quantity: number): void {
  const line = cart.lines.find((candidate) => candidate.productId === productId);
  if (!line) return;
  line.quantity = Math.max(1, Math.min(MAX_QUANTITY, Math.floor(quantity)));
  persist();
}

export function removeFromCart(productId: string): void {
  cart.lines = cart.lines.filter((line) => line.productId !== productId);
  persist();
}

export function clearCart(): void {
  cart.lines = [];
  persist();
}
