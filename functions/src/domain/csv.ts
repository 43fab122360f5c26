import type { Cents } from './money.js';
import type { Order } from './order.js';
import type { Product } from './product.js';

type Cell = string | number | undefined;

/**
 * A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or carriage return first)
 * gets a leading apostrophe, as OWASP's CSV injection advice says: an export opened by an
 * employee must not run what a customer typed into their name.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: Cell): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record of RFC 4180 CSV, CRLF-terminated. */
export const csvLine = (cells: readonly Cell[]): string => `${cells.map(cell).join(',')}\r\n`;

/** Dollars with two decimals, as a spreadsheet reads a number: no currency sign, no grouping. */
const amount = (cents: Cents) => (cents / 100).toFixed(2);

export const ORDER_CSV_HEADER = csvLine([
  'number', 'order id', 'placed at', 'status', 'customer', 'email', 'ship to', 'street', 'city', 'postal code', 'country', 'items', 'units', 'total (USD)',
]);

/** An order's row: its items in one cell as "2 × Desk Lamp; 1 × Mug", so a row stays an order. */
export function orderCsvLine(order: Order): string {
  const shipping = order.shipping;
  return csvLine([
    order.number,
    order.orderId,
    order.createdAt,
    order.status,
    order.customer.name,
    order.customer.email,
    shipping?.name,
    shipping?.street,
    shipping?.city,
    shipping?.postalCode,
    shipping?.country,
    order.items.map((item) => `${item.quantity} × ${item.name}`).join('; '),
    order.items.reduce((units, item) => units + item.quantity, 0),
    amount(order.totalCents),
  ]);
}

export const PRODUCT_CSV_HEADER = csvLine(['id', 'name', 'price (USD)', 'stock', 'tags', 'description']);

export const productCsvLine = (product: Product): string =>
  csvLine([product.id, product.name, amount(product.priceCents), product.stock, product.tags.join('; '), product.description]);
