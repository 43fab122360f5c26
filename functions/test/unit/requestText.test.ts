import { describe, expect, it } from 'vitest';
import { placeOrderBody } from '../../src/domain/schemas.js';
import { duplicateKeyPath } from '../../src/http/duplicateKeys.js';
import { CHECKOUT } from '../support/checkout.js';

describe('duplicate keys in a JSON body', () => {
  it('names the path of the first key one object repeats', () => {
    expect(duplicateKeyPath('{"items":[{"productId":"a","quantity":1,"quantity":99}]}')).toBe('items.0.quantity');
    expect(duplicateKeyPath('{"a":1,"b":{"c":[1,{"d":2}],"c":3}}')).toBe('b.c');
    expect(duplicateKeyPath('{"items":[{"q":1},{"q":2},{"q":3,"x":{},"q":4}]}')).toBe('items.2.q');
    // Decoded before they are compared: an escape is the same key.
    expect(duplicateKeyPath('{"quantity":1,"\\u0071uantity":2}')).toBe('quantity');
  });

  it('lets the same key through in different objects, and strings that only look like keys', () => {
    expect(duplicateKeyPath('{"items":[{"q":1},{"q":2}],"q":{"q":3}}')).toBeNull();
    expect(duplicateKeyPath('{"a":"\\"a\\":1,","b":["a","a"],"c":"{\\"a\\"}"}')).toBeNull();
    expect(duplicateKeyPath('[{},"a",{"a":1}]')).toBeNull();
    expect(duplicateKeyPath('"x"')).toBeNull();
  });
});

describe('names and address lines', () => {
  const order = (name: string) => placeOrderBody.safeParse({ items: [{ productId: 'lamp', quantity: 1 }], ...CHECKOUT, shipping: { ...CHECKOUT.shipping, name } });

  it('are kept in NFC, one spelling for one name', () => {
    expect(order('Rene\u0301e').data?.shipping.name).toBe('Renée');
  });

  it('refuse bidi controls, zero-width characters and lone surrogates, naming the field', () => {
    for (const hidden of ['\u202E', '\u2067', '\u200E', '\u200B', '\u2060', '\uFEFF', '\uD800', '\uDFFF']) {
      const result = order(`Ada${hidden}x`);
      expect(result.success, JSON.stringify(hidden)).toBe(false);
      expect(result.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['shipping.name']);
    }
    expect(order('Ada 😀 Lovelace').success).toBe(true);
  });

  it('keep the joiners Persian words and emoji sequences are written with, and refuse them anywhere else', () => {
    // Persian: a non-joiner inside a word keeps its letters apart ("Ali-Akbar", "Fatemeh-Sadat").
    for (const name of ['علی\u200cاکبر محمدی', 'فاطمه\u200cالسادات', 'می\u200cخواهم', 'കാര്\u200dത്തിക്']) {
      const result = order(name);
      expect(result.success, name).toBe(true);
      expect(result.data!.shipping.name).toBe(name);
    }
    // Emoji: a family, a profession with a skin tone, a flag after the presentation selector.
    for (const name of ['The 👨\u200d👩\u200d👧\u200d👦 Smiths', 'Ada 👩🏽\u200d💻', 'Pride 🏳️\u200d🌈']) expect(order(name).success, name).toBe(true);
    // Between Latin letters, doubled, at an edge, or beside a space, a joiner only hides itself.
    for (const name of ['Ada\u200cx', 'Ada\u200dx', 'علی\u200c\u200cاکبر', 'علی\u200c', '\u200dعلی', 'علی\u200c اکبر', 'Ada 😀\u200c😀', '😀\u200d x']) {
      const result = order(name);
      expect(result.success, JSON.stringify(name)).toBe(false);
      expect(result.error!.issues.map((issue) => issue.path.join('.'))).toEqual(['shipping.name']);
    }
    // A needed joiner lets nothing else through beside it.
    expect(order('علی\u200cاکبر\u202e').success).toBe(false);
  });
});
