import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/domain/errors.js';
import { canTransition, ORDER_STATUSES, transition, type Order, type OrderStatus } from '../../src/domain/order.js';
import { actionsThisTick } from '../../src/domain/pacing.js';
import { newOrder, priceItems } from '../../src/domain/pricing.js';
import { checkImageUrlHost } from '../../src/domain/images.js';
import { newProduct, revisedProduct } from '../../src/domain/product.js';
import { idSchema, placeOrderBody, productDraftBody } from '../../src/domain/schemas.js';
import { newId } from '../../src/domain/ids.js';
import { normalizeOrderNumber, ORDER_NUMBER_PATTERN, orderNumberFor, randomOrderNumber } from '../../src/domain/orderNumber.js';
import { CHECKOUT } from '../support/checkout.js';

const at = new Date('2026-03-01T12:00:00Z');
const lamp = newProduct('lamp', { name: 'Lamp', description: '', priceCents: 1999, stock: 3, tags: [' Home ', 'home', 'LIGHT'] }, at);
const catalog = new Map([[lamp.id, lamp]]);

describe('the order state machine', () => {
  const allowed: Array<[OrderStatus, OrderStatus]> = [
    ['received', 'pending'],
    ['received', 'rejected'],
    ['received', 'cancelled'],
    ['pending', 'processing'],
    ['pending', 'cancelled'],
    ['processing', 'completed'],
  ];

  it('allows exactly the documented moves', () => {
    for (const from of ORDER_STATUSES) {
      for (const to of ORDER_STATUSES) {
        const expected = allowed.some(([a, b]) => a === from && b === to);
        expect(canTransition(from, to), `${from} -> ${to}`).toBe(expected);
      }
    }
  });

  it('stamps each move with its time and reason and bumps the version', () => {
    const order = newOrder('o1', 'BB-234567', CHECKOUT, priceItems([{ productId: 'lamp', quantity: 1 }], catalog), 'h', at);
    const later = new Date('2026-03-01T12:00:05Z');
    const rejected = transition(order, 'rejected', later, 'Not enough stock for Lamp.');
    expect(rejected.history).toEqual([
      { status: 'received', at: at.toISOString() },
      { status: 'rejected', at: later.toISOString(), reason: 'Not enough stock for Lamp.' },
    ]);
    expect(rejected.version).toBe(2);
    expect(order.status).toBe('received');
  });

  it('refuses anything else as a conflict', () => {
    const order = { status: 'completed', history: [], version: 4 } as unknown as Order;
    expect(() => transition(order, 'cancelled', at)).toThrow(StoreError);
    try {
      transition(order, 'cancelled', at);
    } catch (error) {
      expect((error as StoreError).kind).toBe('conflict');
    }
  });
});

describe('pricing', () => {
  it('prices from the catalog in integer cents', () => {
    const items = priceItems([{ productId: 'lamp', quantity: 3 }], catalog);
    expect(items).toEqual([{ productId: 'lamp', name: 'Lamp', quantity: 3, unitPriceCents: 1999 }]);
    expect(newOrder('o', 'BB-234567', CHECKOUT, items, 'h', at).totalCents).toBe(5997);
  });

  it('calls unknown products unprocessable and short stock a conflict', () => {
    expect(() => priceItems([{ productId: 'ghost', quantity: 1 }], catalog)).toThrow(
      expect.objectContaining({ kind: 'unprocessable', code: 'unknown_product' }),
    );
    expect(() => priceItems([{ productId: 'lamp', quantity: 4 }], catalog)).toThrow(
      expect.objectContaining({ kind: 'conflict', code: 'out_of_stock' }),
    );
  });
});

describe('products', () => {
  it('stores tags trimmed, lower-case and once each', () => {
    expect(lamp.tags).toEqual(['home', 'light']);
  });

  it('keeps the image and bumps the version on revision', () => {
    const revised = revisedProduct({ ...lamp, imageUrl: '/images/lamp.svg' }, { name: 'Lamp 2', description: 'x', priceCents: 2999, stock: 1, tags: [] }, at);
    expect(revised).toMatchObject({ id: 'lamp', imageUrl: '/images/lamp.svg', version: 2, priceCents: 2999 });
  });
});

describe('order request validation', () => {
  const ok = (body: unknown) => placeOrderBody.safeParse(body).success;
  it('accepts 1..99 of 1..50 distinct products', () => {
    expect(ok({ items: [{ productId: 'a', quantity: 99 }], ...CHECKOUT })).toBe(true);
    expect(ok({ items: Array.from({ length: 50 }, (_, n) => ({ productId: `p${n}`, quantity: 1 })), ...CHECKOUT })).toBe(true);
  });
  it('needs an email and a complete shipping address, and trims them', () => {
    expect(ok({ items: [{ productId: 'a', quantity: 1 }] })).toBe(false);
    expect(ok({ items: [{ productId: 'a', quantity: 1 }], shipping: CHECKOUT.shipping, customer: { name: 'Ada' } })).toBe(false);
    const { postalCode: _dropped, ...noPostalCode } = CHECKOUT.shipping;
    expect(ok({ items: [{ productId: 'a', quantity: 1 }], customer: CHECKOUT.customer, shipping: noPostalCode })).toBe(false);
    const parsed = placeOrderBody.parse({ items: [{ productId: 'a', quantity: 1 }], customer: CHECKOUT.customer, shipping: { ...CHECKOUT.shipping, city: '  Leeds  ' } });
    expect(parsed.shipping.city).toBe('Leeds');
  });
  it('refuses what a client must not send', () => {
    expect(ok({ items: [{ productId: 'a', quantity: 1, unitPriceCents: 1 }], ...CHECKOUT })).toBe(false);
    expect(ok({ items: [{ productId: 'a', quantity: 1 }, { productId: 'a', quantity: 2 }], ...CHECKOUT })).toBe(false);
    expect(ok({ items: Array.from({ length: 51 }, (_, n) => ({ productId: `p${n}`, quantity: 1 })), ...CHECKOUT })).toBe(false);
    expect(ok({ items: [{ productId: 'a', quantity: 100 }], ...CHECKOUT })).toBe(false);
  });
});

describe('pacing of the virtual actors', () => {
  it('averages to the hourly rate, fractions included', () => {
    expect(actionsThisTick(3600, 10)).toBe(10);
    expect(actionsThisTick(0, 10)).toBe(0);
    expect(actionsThisTick(180, 10, () => 0.49)).toBe(1);
    expect(actionsThisTick(180, 10, () => 0.5)).toBe(0);
  });
});

describe('product image URLs', () => {
  const accepts = (imageUrl: string) =>
    productDraftBody.safeParse({ name: 'n', description: '', priceCents: 1, stock: 1, tags: [], imageUrl }).success;
  it("takes the store's own pictures and https URLs only", () => {
    expect(accepts('/images/lamp.svg')).toBe(true);
    expect(accepts('/api/images/0d4L9xw3Xn2V1ZgJz8f6kq_TQ-7bY5cR2mH1aE4sPoU')).toBe(true);
    expect(accepts('https://cdn.example.com/lamp.png')).toBe(true);
    for (const bad of ['//evil.example/x.png', '/..//x', '/images/../secret', '/images/sub/x.svg', '/api/manage/orders', '/logout', 'javascript:alert(1)', 'http://plain.example/x.png', 'data:image/png;base64,AAAA']) {
      expect(accepts(bad), bad).toBe(false);
    }
  });

  it('takes https pictures only from the hosts a setting allows, by exact hostname', () => {
    const allowed = (url: string, hosts: string[]) => {
      try {
        checkImageUrlHost(url, hosts);
        return true;
      } catch (error) {
        expect(error).toMatchObject({ kind: 'invalid', code: 'image_url_not_allowed', details: [{ path: 'imageUrl' }] });
        return false;
      }
    };
    expect(allowed('/api/images/abc', [])).toBe(true);
    expect(allowed('https://cdn.example.com/lamp.png', [])).toBe(false);
    expect(allowed('https://CDN.example.com:8443/lamp.png', ['cdn.example.com'])).toBe(true);
    for (const url of ['https://img.cdn.example.com/x.png', 'https://cdn.example.com.evil.example/x.png', 'https://cdn.example.com@evil.example/x.png']) {
      expect(allowed(url, ['cdn.example.com']), url).toBe(false);
    }
  });
});

describe('order numbers', () => {
  it('reads unambiguously: BB- and six symbols without 0, O, 1 or I', () => {
    const numbers = Array.from({ length: 200 }, (_, n) => orderNumberFor(`order-${n}`, 0));
    for (const number of numbers) expect(number).toMatch(/^BB-[2-9A-HJ-NP-Z]{6}$/);
    expect(new Set(numbers).size).toBe(200);
    expect(randomOrderNumber()).toMatch(ORDER_NUMBER_PATTERN);
  });

  it('is the same for the same order and attempt, and another on the next attempt', () => {
    expect(orderNumberFor('abc', 0)).toBe(orderNumberFor('abc', 0));
    expect(orderNumberFor('abc', 1)).not.toBe(orderNumberFor('abc', 0));
  });

  it('is found however an employee types it', () => {
    for (const typed of ['BB-7K3Q9P', 'bb-7k3q9p', '7k3q9p', ' BB 7K3Q9P ', 'bb7k3q9p']) expect(normalizeOrderNumber(typed)).toBe('BB-7K3Q9P');
    expect(normalizeOrderNumber('BBXYZ2')).toBe('BB-BBXYZ2');
    for (const typed of ['', 'BB-', '7K3Q9', '7K3Q9PP', 'BB-7K3Q0P', 'BB-OK3Q9P', 'BB-1K3Q9P', 'BB-IK3Q9P', 'XX-7K3Q9P']) expect(normalizeOrderNumber(typed)).toBeNull();
  });
});

describe('new ids', () => {
  it('are valid in every route, never repeat, and sort in the order they were made', async () => {
    const first = Array.from({ length: 1000 }, () => newId());
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = newId();
    expect(new Set(first).size).toBe(1000);
    for (const id of [...first, later]) expect(idSchema.safeParse(id).success).toBe(true);
    expect(first.every((id) => id < later)).toBe(true);
  });

  it('keep 128 random bits after the time, so knowing when an order was placed does not give its id away', () => {
    const sameMoment = Array.from({ length: 100 }, () => newId());
    const randomParts = sameMoment.map((id) => id.slice(9));
    for (const part of randomParts) expect(Buffer.from(part, 'base64url')).toHaveLength(16);
    expect(new Set(randomParts).size).toBe(100);
  });
});
