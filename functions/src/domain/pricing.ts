import { outOfStock, unknownProducts } from './errors.js';
import { lineTotal, sumCents } from './money.js';
import type { Customer, OrderItem, ShippingAddress, StoredOrder } from './order.js';
import type { Product } from './product.js';

export interface RequestedItem {
  productId: string;
  quantity: number;
}

/**
 * Prices the requested items from the catalog, never from the request.
 * Unknown products are unprocessable; too little stock right now is a conflict.
 */
export function priceItems(requested: readonly RequestedItem[], catalog: ReadonlyMap<string, Product>): OrderItem[] {
  const unknown = requested.filter((item) => !catalog.has(item.productId));
  if (unknown.length > 0) {
    throw unknownProducts(unknown.map((item) => ({ path: 'items', productId: item.productId, message: 'no such product' })));
  }
  const short = requested.filter((item) => catalog.get(item.productId)!.stock < item.quantity);
  if (short.length > 0) {
    throw outOfStock(
      short.map((item) => ({
        path: 'items',
        productId: item.productId,
        requested: item.quantity,
        available: catalog.get(item.productId)!.stock,
        message: 'not enough stock',
      })),
    );
  }
  return requested.map((item) => {
    const product = catalog.get(item.productId)!;
    return { productId: product.id, name: product.name, quantity: item.quantity, unitPriceCents: product.priceCents };
  });
}

/** Who ordered and where it goes, as the checkout gave them. */
export interface Recipient {
  customer: Customer;
  shipping: ShippingAddress;
}

export function newOrder(
  orderId: string,
  number: string,
  recipient: Recipient,
  items: OrderItem[],
  requestHash: string,
  now: Date,
): StoredOrder {
  const at = now.toISOString();
  return {
    orderId,
    number,
    customer: recipient.customer,
    shipping: recipient.shipping,
    items,
    totalCents: sumCents(items.map((item) => lineTotal(item.unitPriceCents, item.quantity))),
    status: 'received',
    history: [{ status: 'received', at }],
    version: 1,
    createdAt: at,
    updatedAt: at,
    requestHash,
  };
}
