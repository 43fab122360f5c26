import { describe, expect, it } from 'vitest';
import type { Product } from '../../src/domain/product.js';
import { relatedProducts } from '../../src/domain/related.js';

const product = (id: string, tags: string[], stock = 5, name = id): Product => ({
  id, name, tags, stock, description: '', priceCents: 100, imageUrl: '/images/x.svg', version: 1, createdAt: '', updatedAt: '',
});

describe('related products', () => {
  const lamp = product('lamp', ['home', 'light', 'desk']);
  it.each([
    ['those sharing the most tags first, then by name', [product('b', ['home']), product('a', ['home']), product('c', ['home', 'light', 'desk']), product('d', ['light', 'desk'])], ['c', 'd', 'a', 'b']],
    ['never the product itself', [lamp, product('a', ['home'])], ['a']],
    ['nothing sold out', [product('a', ['home'], 0), product('b', ['home'], 1)], ['b']],
    ['nothing without a shared tag', [product('a', ['garden']), product('b', ['desk'])], ['b']],
    ['each product once, however many of its tags found it', [product('a', ['home', 'light']), product('a', ['home', 'light'])], ['a']],
    ['at most four', ['a', 'b', 'c', 'd', 'e'].map((id) => product(id, ['home'])), ['a', 'b', 'c', 'd']],
  ])('lists %s', (_, candidates, expected) => {
    expect(relatedProducts(lamp, candidates).map((each) => each.id)).toEqual(expected);
  });

  it('lists none for a product without tags', () => {
    expect(relatedProducts(product('bare', []), [product('a', [])])).toEqual([]);
  });
});
