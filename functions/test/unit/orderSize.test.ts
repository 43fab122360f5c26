import { describe, expect, it } from 'vitest';
import { checkOrderSize } from '../../src/domain/orderSize.js';
import { StoreError } from '../../src/domain/errors.js';

const caps = { maxUnitsPerLine: 10, maxLines: 3 };
const lines = (...quantities: number[]) => quantities.map((quantity, index) => ({ productId: `p${index + 1}`, quantity }));

/** What checkOrderSize refuses, as the 400 a shopper sees names it; null when it takes the order. */
function refusal(items: ReturnType<typeof lines>) {
  try {
    checkOrderSize(items, caps);
    return null;
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    return { code: error.code, kind: error.kind, message: error.message, details: error.details };
  }
}

describe('the order size caps', () => {
  it.each([
    ['one unit', lines(1)],
    ['the most units of a product', lines(10)],
    ['the most lines, each at its cap', lines(10, 10, 10)],
  ])('take %s', (_, items) => expect(refusal(items)).toBeNull());

  it('refuse a line over the units cap, naming the line, its product and what it asked', () => {
    expect(refusal(lines(1, 11))).toEqual({
      code: 'order_too_large',
      kind: 'invalid',
      message: 'This order is larger than one order may be: line 2: at most 10 of a product per order, got 11.',
      details: [{ path: 'items.1.quantity', productId: 'p2', message: 'line 2: at most 10 of a product per order, got 11' }],
    });
  });

  it('refuse more lines than the cap, saying so first, then every line over its own cap', () => {
    expect(refusal(lines(1, 1, 1, 1))?.details).toEqual([{ path: 'items', message: 'at most 3 different products per order; got 4' }]);
    expect(refusal(lines(12, 1, 1, 99))?.details).toEqual([
      { path: 'items', message: 'at most 3 different products per order; got 4' },
      { path: 'items.0.quantity', productId: 'p1', message: 'line 1: at most 10 of a product per order, got 12' },
      { path: 'items.3.quantity', productId: 'p4', message: 'line 4: at most 10 of a product per order, got 99' },
    ]);
  });
});
