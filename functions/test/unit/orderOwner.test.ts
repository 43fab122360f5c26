import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { SqliteOrderStore } from '../../src/adapters/embedded/orderStore.js';
import { mayActOnOrder, ownerKey, ownerOf } from '../../src/domain/owner.js';
import { CHECKOUT } from '../support/checkout.js';
import { newOrder } from '../../src/domain/pricing.js';

const ada = { identityProvider: 'github', userId: 'ada-1', userDetails: 'ada' };
const item = { productId: 'lamp', name: 'Lamp', quantity: 1, unitPriceCents: 100 };

describe('who an order belongs to', () => {
  it('takes the owner from a signed-in principal, and none from a guest or a principal without an id', () => {
    expect(ownerOf(ada)).toEqual({ identityProvider: 'github', userId: 'ada-1', name: 'ada' });
    expect(ownerOf({ identityProvider: 'aad', userId: 'x' })).toEqual({ identityProvider: 'aad', userId: 'x', name: 'x' });
    expect(ownerOf(null)).toBeNull();
    expect(ownerOf({ identityProvider: 'github', userDetails: 'ada' })).toBeNull();
  });

  it('lets only the owner act on an owned order, and whoever holds the id on a guest order', () => {
    const owned = { owner: ownerOf(ada)! };
    expect(mayActOnOrder(owned, ada)).toBe(true);
    // The same user id from another provider is another account.
    expect(mayActOnOrder(owned, { ...ada, identityProvider: 'aad' })).toBe(false);
    expect(mayActOnOrder(owned, { ...ada, userId: 'bob-2' })).toBe(false);
    expect(mayActOnOrder(owned, null)).toBe(false);
    expect(mayActOnOrder({}, null)).toBe(true);
    expect(mayActOnOrder({}, ada)).toBe(true);
  });
});

describe('a SQLite file from before orders had owners', () => {
  it('gains the owner column on opening, keeps its orders as guest orders, and lists owned ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bestbuy-owner-'));
    const path = join(dir, 'store.db');
    // Written as a file from before owners and numbers: no number in the document either.
    const { number: _none, ...old } = newOrder('old-order', 'BB-AAAAAA', CHECKOUT, [item], 'hash', new Date('2030-01-01T00:00:00Z'));
    const before = new Database(path);
    before.exec('CREATE TABLE orders (order_id TEXT PRIMARY KEY, status TEXT NOT NULL, created_at TEXT NOT NULL, version INTEGER NOT NULL, doc TEXT NOT NULL)');
    before.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?)').run(old.orderId, old.status, old.createdAt, old.version, JSON.stringify(old));
    before.close();

    const file = new SqliteFile(path);
    try {
      const store = new SqliteOrderStore(file);
      expect(await store.get('old-order')).toEqual({ ...old, number: expect.stringMatching(/^BB-/) });
      const owner = ownerOf(ada)!;
      await store.insertIfAbsent({ ...newOrder('new-order', 'BB-BBBBBB', CHECKOUT, [item], 'hash', new Date('2030-01-02T00:00:00Z')), owner });
      expect((await store.list({ ownerKey: ownerKey(owner), limit: 10 })).items.map((order) => order.orderId)).toEqual(['new-order']);
    } finally {
      file.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
