import { describe, expect, it } from 'vitest';
import { csvLine, orderCsvLine, productCsvLine } from '../../src/domain/csv.js';
import type { Order } from '../../src/domain/order.js';

describe('CSV lines', () => {
  it.each([
    ['plain text as it is', ['Desk Lamp', 3], 'Desk Lamp,3\r\n'],
    ['a comma quoted', ['Lamp, desk'], '"Lamp, desk"\r\n'],
    ['a quote doubled inside quotes', ['The "Big" One'], '"The ""Big"" One"\r\n'],
    ['a line break kept inside quotes', ['Flat 2\nBack door'], '"Flat 2\nBack door"\r\n'],
    ['nothing for a missing value', ['a', undefined, 'b'], 'a,,b\r\n'],
    ['a formula made text', ['=HYPERLINK("http://evil.example","Click")'], `"'=HYPERLINK(""http://evil.example"",""Click"")"\r\n`],
    ['each formula start made text', ['+1', '-1', '@SUM(A1)', '\tx'], "'+1,'-1,'@SUM(A1),'\tx\r\n"],
    ['a number left a number, negative or not', [-5, 0], '-5,0\r\n'],
  ])('writes %s', (_, cells, expected) => {
    expect(csvLine(cells)).toBe(expected);
  });

  const order: Order = {
    orderId: 'o1',
    number: 'BB-7K3Q9P',
    customer: { name: '=cmd', email: 'ada@example.com' },
    shipping: { name: 'Ada Lovelace', street: '1 Main St, Apt 2', city: 'London', postalCode: 'N1 9GU', country: 'GB' },
    items: [
      { productId: 'p1', name: 'Desk Lamp', quantity: 2, unitPriceCents: 1999 },
      { productId: 'p2', name: 'Mug', quantity: 1, unitPriceCents: 850 },
    ],
    totalCents: 4848,
    status: 'pending',
    history: [],
    version: 2,
    createdAt: '2026-12-03T10:00:00.000Z',
    updatedAt: '2026-12-03T10:00:01.000Z',
  };

  it('writes an order as one row: number, status, customer, ship-to, its items in one cell, units and total in dollars', () => {
    expect(orderCsvLine(order)).toBe(
      "BB-7K3Q9P,o1,2026-12-03T10:00:00.000Z,pending,'=cmd,ada@example.com,Ada Lovelace,\"1 Main St, Apt 2\",London,N1 9GU,GB,2 × Desk Lamp; 1 × Mug,3,48.48\r\n",
    );
  });

  it('leaves the ship-to cells empty for an order from before addresses', () => {
    const { shipping: _, ...older } = order;
    expect(orderCsvLine(older)).toContain(',ada@example.com,,,,,,2 × Desk Lamp');
  });

  it('writes a product with its price in dollars and its tags in one cell', () => {
    const product = { id: 'p1', name: 'Desk Lamp', description: 'Warm light.', priceCents: 1905, imageUrl: '/images/x.svg', tags: ['home', 'light'], stock: 7, version: 1, createdAt: '', updatedAt: '' };
    expect(productCsvLine(product)).toBe('p1,Desk Lamp,19.05,7,home; light,Warm light.\r\n');
  });
});
