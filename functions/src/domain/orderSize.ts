import { orderTooLarge, type ErrorDetail } from './errors.js';

export interface OrderCaps {
  maxUnitsPerLine: number;
  maxLines: number;
}

/**
 * Refuses an order past the shop's caps, naming each line over them: one client cannot take a
 * product's whole stock (or every product's) in a few requests.
 */
export function checkOrderSize(items: ReadonlyArray<{ productId: string; quantity: number }>, caps: OrderCaps): void {
  const details: ErrorDetail[] = items.flatMap((item, index) =>
    item.quantity > caps.maxUnitsPerLine
      ? [{ path: `items.${index}.quantity`, productId: item.productId, message: `line ${index + 1}: at most ${caps.maxUnitsPerLine} of a product per order, got ${item.quantity}` }]
      : [],
  );
  if (items.length > caps.maxLines) details.unshift({ path: 'items', message: `at most ${caps.maxLines} different products per order; got ${items.length}` });
  if (details.length > 0) throw orderTooLarge(details);
}
