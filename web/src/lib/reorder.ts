import type { Order } from './api';
import { addToCart, MAX_QUANTITY } from './cart.svelte';
import { getProduct } from './getProduct';

/** What a rejected order's items come to today: what can go back in the cart, and what cannot. */
export interface ReorderPlan {
  /** In stock now: the quantity is what was ordered, or what is left if that is less. */
  available: Array<{ productId: string; name: string; quantity: number; ordered: number; stock: number }>;
  /** Gone or sold out: named, so the customer knows what is missing. */
  unavailable: string[];
}

/** Asks the catalog for each item's stock now; a product that cannot be read counts as unavailable. */
export async function planReorder(items: Order['items']): Promise<ReorderPlan> {
  const products = await Promise.all(items.map((item) => getProduct(item.productId).catch(() => null)));
  const plan: ReorderPlan = { available: [], unavailable: [] };
  items.forEach((item, index) => {
    const product = products[index];
    const quantity = Math.min(item.quantity, product?.stock ?? 0, MAX_QUANTITY);
    if (product && quantity > 0) {
      plan.available.push({ productId: item.productId, name: product.name, quantity, ordered: item.quantity, stock: product.stock });
    } else {
      plan.unavailable.push(product?.name ?? item.name);
    }
  });
  return plan;
}

/** Puts the plan's items in the cart (never past stock); how many units went in. */
export function fillCart(plan: ReorderPlan): number {
  return plan.available.reduce((added, line) => added + addToCart(line.productId, line.quantity, line.stock), 0);
}
