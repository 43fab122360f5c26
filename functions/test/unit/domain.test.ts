import { describe, expect, it, vi } from 'vitest';
import { StoreError } from '../../src/domain/errors.js';
import { canTransition, EMPLOYEE_TRANSITIONS, isCancellable, isFinal, linkedOrder, ORDER_STATUSES, publicOrder, releasesStock, transition, type Order, type OrderStatus } from '../../src/domain/order.js';
import { lineTotal, sumCents } from '../../src/domain/money.js';
import { actionsThisTick } from '../../src/domain/pacing.js';
import { newOrder, priceItems } from '../../src/domain/pricing.js';
import { checkImageUrlHost } from '../../src/domain/images.js';
import { acceptedDraft, newProduct, normalizeTags, PLACEHOLDER_IMAGE_URL, publicProduct, revisedProduct, type DraftField } from '../../src/domain/product.js';
import { enrichmentStartBody, idSchema, manageOrdersQuery, placeOrderBody, productDraftBody } from '../../src/domain/schemas.js';
import { fingerprint, newId, orderIdForKey } from '../../src/domain/ids.js';
import { claimOutcome, mayActOnOrder, ownerKey, ownerOf } from '../../src/domain/owner.js';
import { normalizeOrderNumber, ORDER_NUMBER_PATTERN, orderNumberFor, randomOrderNumber } from '../../src/domain/orderNumber.js';
import { CHECKOUT } from '../support/checkout.js';

const at = new Date('2026-03-01T12:00:00Z');
const lamp = newProduct('lamp', { name: 'Lamp', description: '', priceCents: 1999, stock: 3, tags: [' Home ', 'home', 'LIGHT'] }, at);
const catalog = new Map([[lamp.id, lamp]]);

describe('the order state machine', () => {
  const allowed: Array<[OrderStatus, OrderStatus]> = [
    ['awaiting_payment', 'received'],
    ['awaiting_payment', 'rejected'],
    ['awaiting_payment', 'cancelled'],
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
    expect(normalizeOrderNumber('XY7K3Q9P')).toBeNull(); // eight symbols are "BB" and six, or nothing
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

describe('who may act on an order', () => {
  const ada = { identityProvider: 'github', userId: 'u-ada', userDetails: 'ada' };
  const adaOnAad = { identityProvider: 'aad', userId: 'u-ada', userDetails: 'ada@example.com' };
  const bob = { identityProvider: 'github', userId: 'u-bob', userDetails: 'bob' };
  const adasOrder = { owner: ownerOf(ada)! };
  const guestOrder = {};

  it.each([
    ['a signed-in customer', ada, { identityProvider: 'github', userId: 'u-ada', name: 'ada' }],
    ['a customer whose provider gives no user name', { identityProvider: 'github', userId: 'u-ada' }, { identityProvider: 'github', userId: 'u-ada', name: 'u-ada' }],
    ['a guest', null, null],
    ['a principal without a provider', { userId: 'u-ada' }, null],
    ['a principal without a user id', { identityProvider: 'github', userDetails: 'ada' }, null],
  ])('makes %s the owner of what they order', (_who, identity, owner) => {
    expect(ownerOf(identity)).toEqual(owner);
  });

  it.each([
    ["the owner, on their own order", adasOrder, ada, true],
    ['another account, on it', adasOrder, bob, false],
    ['the same user id from another provider, on it', adasOrder, adaOnAad, false],
    ['a guest holding its link, on it', adasOrder, null, false],
    ["anyone holding a guest order's link", guestOrder, null, true],
    ['a signed-in customer, on a guest order', guestOrder, bob, true],
  ])('lets %s: %s', (_who, order, identity, allowed) => {
    expect(mayActOnOrder(order, identity)).toBe(allowed);
  });

  it.each([
    ['a guest order', guestOrder, 'claimed'],
    ['an order the account owns already', adasOrder, 'already_yours'],
    ["another account's order", { owner: ownerOf(bob)! }, 'owned_by_someone_else'],
    ['an order of the same user id at another provider', { owner: ownerOf(adaOnAad)! }, 'owned_by_someone_else'],
    ['no order', null, 'not_found'],
  ] as const)('claiming %s comes to %s', (_what, order, outcome) => {
    expect(claimOutcome(order, ownerOf(ada)!)).toBe(outcome);
  });

  it('keys an account by provider and user id, so two providers never share orders', () => {
    expect(ownerKey(ownerOf(ada)!)).toBe('github/u-ada');
    expect(ownerKey(ownerOf(adaOnAad)!)).not.toBe(ownerKey(ownerOf(ada)!));
  });
});

describe('idempotency', () => {
  it('names the same order for the same key, and different orders for different keys', () => {
    expect(orderIdForKey('checkout-123')).toBe(orderIdForKey('checkout-123'));
    expect(orderIdForKey('checkout-124')).not.toBe(orderIdForKey('checkout-123'));
    expect(idSchema.safeParse(orderIdForKey('checkout-123')).success).toBe(true);
    expect(orderIdForKey('checkout-123')).toHaveLength(22);
  });

  it.each([
    ['another quantity', { items: [{ productId: 'a', quantity: 2 }] }],
    ['another product', { items: [{ productId: 'b', quantity: 1 }] }],
    ['no items', { items: [] }],
  ])('tells a retry from a different request under the same key: %s', (_what, other) => {
    const asked = { items: [{ productId: 'a', quantity: 1 }] };
    expect(fingerprint(structuredClone(asked))).toBe(fingerprint(asked));
    expect(fingerprint(other)).not.toBe(fingerprint(asked));
    expect(fingerprint(asked)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});

describe('the first ids a process makes', () => {
  it('have their random part too', async () => {
    vi.resetModules();
    const fresh = await import('../../src/domain/ids.js');
    const [first, second] = [fresh.newId(), fresh.newId()];
    for (const id of [first, second]) {
      expect(id).toMatch(/^[0-9a-z]{9}[A-Za-z0-9_-]{22}$/);
      expect(Buffer.from(id.slice(9), 'base64url')).toHaveLength(16);
    }
    expect(second).not.toBe(first);
  });

  it('keep coming after the first draw of random bytes runs out', () => {
    const ids = Array.from({ length: 600 }, () => newId());
    expect(ids.every((id) => /^[0-9a-z]{9}[A-Za-z0-9_-]{22}$/.test(id))).toBe(true);
    expect(new Set(ids.map((id) => id.slice(9))).size).toBe(600);
  });
});

describe('pricing what is short', () => {
  const fan = newProduct('fan', { name: 'Fan', description: '', priceCents: 1500, stock: 0, tags: [] }, at);
  const both = new Map([[lamp.id, lamp], [fan.id, fan]]);

  it('names every short item, what was asked and what there is', () => {
    expect(() => priceItems([{ productId: 'lamp', quantity: 5 }, { productId: 'fan', quantity: 1 }], both)).toThrow(
      expect.objectContaining({
        details: [
          { path: 'items', productId: 'lamp', requested: 5, available: 3, message: 'not enough stock' },
          { path: 'items', productId: 'fan', requested: 1, available: 0, message: 'not enough stock' },
        ],
      }),
    );
  });

  it('names every unknown product, and none that exists', () => {
    expect(() => priceItems([{ productId: 'lamp', quantity: 1 }, { productId: 'ghost', quantity: 1 }, { productId: 'gone', quantity: 2 }], both)).toThrow(
      expect.objectContaining({
        details: [
          { path: 'items', productId: 'ghost', message: 'no such product' },
          { path: 'items', productId: 'gone', message: 'no such product' },
        ],
      }),
    );
  });

  it.each([
    ['all of the stock', 3, true],
    ['one more than the stock', 4, false],
  ])('sells %s', (_what, quantity, sold) => {
    const price = () => priceItems([{ productId: 'lamp', quantity }], catalog);
    if (sold) expect(price()).toHaveLength(1);
    else expect(price).toThrow(expect.objectContaining({ code: 'out_of_stock' }));
  });

  it('totals several lines, each at its catalog price', () => {
    const cheap = newProduct('cheap', { name: 'Cheap', description: '', priceCents: 250, stock: 9, tags: [] }, at);
    const items = priceItems([{ productId: 'lamp', quantity: 2 }, { productId: 'cheap', quantity: 3 }], new Map([[lamp.id, lamp], [cheap.id, cheap]]));
    const order = newOrder('o', 'BB-234567', CHECKOUT, items, 'hash', at);
    expect(order).toMatchObject({ totalCents: 2 * 1999 + 3 * 250, status: 'received', version: 1, requestHash: 'hash', number: 'BB-234567' });
    expect(order.history).toEqual([{ status: 'received', at: at.toISOString() }]);
    expect(order.createdAt).toBe(at.toISOString());
    expect(order.updatedAt).toBe(at.toISOString());
    expect(order).toMatchObject({ customer: CHECKOUT.customer, shipping: CHECKOUT.shipping });
  });
});

describe('what a product picture may be', () => {
  const accepts = (imageUrl: string) =>
    productDraftBody.safeParse({ name: 'n', description: '', priceCents: 1, stock: 1, tags: [], imageUrl }).success;

  it.each([
    '/api/images/abc_DEF-123',
    '/images/aurora-headphones.svg',
    '/images/lamp.png',
    '/images/lamp.jpg',
    '/images/lamp.jpeg',
    '/images/lamp.webp',
    '/images/lamp.v2.png',
    'https://cdn.example.com/lamp.png',
  ])('takes %s', (url) => {
    expect(accepts(url)).toBe(true);
  });

  it.each([
    ['another site, in disguise as an upload', '//evil.example/api/images/x'],
    ['another site, in disguise as a site picture', '//evil.example/images/lamp.svg'],
    ['an upload path with more after it', '/api/images/x/../../manage/orders'],
    ['an upload path with a query', '/api/images/x?y=1'],
    ['a site picture of a type no browser shows as a picture', '/images/lamp.html'],
    ['a site picture with a script after it', '/images/lamp.svg"><script>'],
    ['a hidden file', '/images/.svg'],
    ['an https URL inside other text', 'javascript:alert(1)//https://cdn.example.com/x.png'],
    ['an https URL with a space', 'https://cdn.example.com/a b.png'],
    ['an https URL with a quote', 'https://cdn.example.com/a".png'],
    ['an https URL with an angle bracket', 'https://cdn.example.com/<x>.png'],
    ['nothing after https://', 'https://'],
  ])('refuses %s (%s)', (_what, url) => {
    expect(accepts(url)).toBe(false);
  });
});

describe('what each status means', () => {
  it.each<[OrderStatus, { cancellable: boolean; final: boolean; givesStockBack: boolean }]>([
    ['received', { cancellable: true, final: false, givesStockBack: false }],
    ['pending', { cancellable: true, final: false, givesStockBack: false }],
    ['processing', { cancellable: false, final: false, givesStockBack: false }],
    ['completed', { cancellable: false, final: true, givesStockBack: false }],
    ['rejected', { cancellable: false, final: true, givesStockBack: true }],
    ['cancelled', { cancellable: false, final: true, givesStockBack: true }],
  ])('%s: %o', (status, meaning) => {
    expect({ cancellable: isCancellable(status), final: isFinal(status), givesStockBack: releasesStock(status) }).toEqual(meaning);
  });

  it('lets employees move orders only to processing and completed', () => {
    expect([...EMPLOYEE_TRANSITIONS].sort()).toEqual(['completed', 'processing']);
  });

  it('says which moves the order still has when one is refused', () => {
    const order = newOrder('o1', 'BB-234567', CHECKOUT, priceItems([{ productId: 'lamp', quantity: 1 }], catalog), 'h', at);
    expect(() => transition(order, 'completed', at)).toThrow(
      expect.objectContaining({ details: [expect.objectContaining({ message: 'allowed from received: pending, rejected, cancelled' })] }),
    );
  });

  it('records no reason on a move made without one', () => {
    const order = newOrder('o1', 'BB-234567', CHECKOUT, priceItems([{ productId: 'lamp', quantity: 1 }], catalog), 'h', at);
    const later = new Date('2026-03-01T12:01:00Z');
    const pending = transition(order, 'pending', later);
    expect(pending.history.at(-1)).toStrictEqual({ status: 'pending', at: later.toISOString() });
    expect(pending).toMatchObject({ status: 'pending', updatedAt: later.toISOString(), createdAt: at.toISOString() });
  });
});

describe('what an order shows to whom', () => {
  const owner = { identityProvider: 'github', userId: 'u-ada', name: 'ada' };
  const stored = { ...newOrder('o1', 'BB-234567', CHECKOUT, priceItems([{ productId: 'lamp', quantity: 1 }], catalog), 'secret-hash', at), owner };

  it('never shows the request fingerprint', () => {
    expect(publicOrder(stored)).not.toHaveProperty('requestHash');
    expect(publicOrder(stored)).toMatchObject({ orderId: 'o1', owner });
    expect(linkedOrder(stored)).not.toHaveProperty('requestHash');
  });

  it("shows whoever holds the link who placed it, without the account's user id", () => {
    expect(linkedOrder(stored).owner).toEqual({ identityProvider: 'github', name: 'ada' });
    expect(linkedOrder(stored)).toMatchObject({ orderId: 'o1', number: 'BB-234567', totalCents: 1999 });
    const { owner: _none, ...guest } = stored;
    expect(linkedOrder(guest)).not.toHaveProperty('owner');
  });
});

describe('product drafts and tags', () => {
  const drafted = { ...lamp, draft: { description: 'A warm lamp.', imageUrl: '/api/images/new', at: at.toISOString() } };
  const later = new Date('2026-03-02T09:00:00Z');

  it('keeps drafts out of the storefront', () => {
    expect(publicProduct(drafted)).not.toHaveProperty('draft');
    expect(publicProduct(drafted)).toMatchObject({ id: 'lamp', name: 'Lamp' });
    expect(publicProduct(lamp)).toEqual(lamp);
  });

  it.each<[string, readonly DraftField[], { description: string; imageUrl: string }]>([
    ['every field', ['description', 'image'], { description: 'A warm lamp.', imageUrl: '/api/images/new' }],
    ['the description alone', ['description'], { description: 'A warm lamp.', imageUrl: lamp.imageUrl }],
    ['the picture alone', ['image'], { description: lamp.description, imageUrl: '/api/images/new' }],
  ])('takes in %s, drops the draft and bumps the version', (_what, fields, expected) => {
    const accepted = acceptedDraft(drafted, fields, later)!;
    expect(accepted).toMatchObject({ ...expected, version: lamp.version + 1, updatedAt: later.toISOString() });
    expect(accepted).not.toHaveProperty('draft');
  });

  it.each([
    ['a product without a draft', lamp, ['description', 'image'] as const],
    ['a draft without the field asked for', { ...lamp, draft: { description: 'A warm lamp.', at: at.toISOString() } }, ['image'] as const],
  ])('takes nothing from %s', (_what, product, fields) => {
    expect(acceptedDraft(product, fields, later)).toBeNull();
  });

  it.each([
    [['Home', 'home ', ' HOME'], ['home']],
    [['desk', 'Lighting'], ['desk', 'lighting']],
    [[], []],
  ])('stores tags %j as %j', (tags, stored) => {
    expect(normalizeTags(tags)).toEqual(stored);
  });

  it('gives a new product the placeholder picture, and a revised one its new picture', () => {
    expect(newProduct('p', { name: 'P', description: '', priceCents: 1, stock: 1, tags: [] }, at).imageUrl).toBe(PLACEHOLDER_IMAGE_URL);
    const revised = revisedProduct({ ...lamp, imageUrl: '/images/lamp.svg' }, { name: 'Lamp', description: '', priceCents: 1, stock: 1, tags: [], imageUrl: '/images/new.svg' }, later);
    expect(revised).toMatchObject({ imageUrl: '/images/new.svg', updatedAt: later.toISOString(), version: 2 });
  });
});

describe('money', () => {
  it.each([
    [[], 0],
    [[1999], 1999],
    [[1999, 1, 100_000_000], 100_002_000],
  ])('adds %j to %i cents', (amounts, total) => {
    expect(sumCents(amounts)).toBe(total);
  });

  it('prices a line as its unit price times its quantity', () => {
    expect(lineTotal(1999, 3)).toBe(5997);
  });
});

describe('search and enrichment requests', () => {
  it.each([
    ['bb 7k3q9p', 'BB-7K3Q9P'],
    ['7K3Q9P', 'BB-7K3Q9P'],
  ])('finds order %j as %s', (typed, number) => {
    expect(manageOrdersQuery.parse({ number: typed }).number).toBe(number);
  });

  it('refuses a search for what cannot be an order number, saying what one looks like', () => {
    const parsed = manageOrdersQuery.safeParse({ number: 'BB-0000' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ['number'], message: expect.stringContaining('e.g. BB-7K3Q9P') })]);
  });

  it.each([
    ['products by id', { productIds: ['a'], want: ['description'] }, true],
    ['the products without a picture', { without: 'image', want: ['image'] }, true],
    ['both', { productIds: ['a'], without: 'image', want: ['image'] }, false],
    ['neither', { want: ['image'] }, false],
  ])('starts enrichment for %s: %s', (_what, body, ok) => {
    expect(enrichmentStartBody.safeParse(body).success).toBe(ok);
  });
});

describe('what a refused picture host is told', () => {
  const messageFor = (url: string, hosts: string[]) => {
    try {
      checkImageUrlHost(url, hosts);
    } catch (error) {
      return (error as StoreError).message;
    }
    return null;
  };

  it.each([
    ['no host allowed', 'https://cdn.example.com/x.png', [], "Pictures from cdn.example.com are not allowed: only the store's own pictures. Upload the picture instead."],
    ['some hosts allowed', 'https://evil.example/x.png', ['cdn.example.com', 'img.example.org'], "Pictures from evil.example are not allowed: only pictures from cdn.example.com, img.example.org or the store's own. Upload the picture instead."],
    ['an address that is no URL', 'https://[broken/x.png', ['cdn.example.com'], "Pictures from that address are not allowed: only pictures from cdn.example.com or the store's own. Upload the picture instead."],
  ])('with %s', (_what, url, hosts, message) => {
    expect(messageFor(url, hosts)).toBe(message);
  });

  it("never refuses the store's own pictures", () => {
    expect(messageFor('/api/images/abc', [])).toBeNull();
    expect(messageFor('/images/lamp.svg', ['cdn.example.com'])).toBeNull();
  });
});
