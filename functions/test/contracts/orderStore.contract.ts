import { describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { transition } from '../../src/domain/order.js';
import { newOrder } from '../../src/domain/pricing.js';
import { ownerKey } from '../../src/domain/owner.js';
import type { OrderStore } from '../../src/ports.js';
import { randomOrderNumber } from '../../src/domain/orderNumber.js';
import { CHECKOUT } from '../support/checkout.js';
import { attemptStarted, awaitingPayment, holdGivenBack, outcomeApplied } from '../../src/domain/paymentSteps.js';

const item = { productId: 'lamp', name: 'Lamp', quantity: 1, unitPriceCents: 100 };

export function orderStoreContract(adapter: string, store: () => OrderStore): void {
  const place = (createdAt: Date) => newOrder(newId(), randomOrderNumber(), CHECKOUT, [item], 'hash-1', createdAt);

  describe(`OrderStore contract: ${adapter}`, () => {
    it('lists the orders the sweeper has work for by a time, soonest first, and keeps that up as they change', async () => {
      const at = (seconds: number) => new Date(Date.UTC(2001, 0, 1, 0, 0, seconds));
      const holding = awaitingPayment(place(at(0)), 'demo', at(30).toISOString());
      const paying = attemptStarted(awaitingPayment(place(at(0)), 'demo', at(90).toISOString()), 'demo', at(10));
      const done = place(at(0));
      for (const order of [holding, paying, done]) await store().insertIfAbsent(order);
      const ours = (orders: Array<{ orderId: string }>) => orders.map((order) => order.orderId).filter((id) => [holding, paying, done].some((order) => order.orderId === id));
      expect(ours(await store().listSweepDue(at(20), 100))).toEqual([paying.orderId]);
      expect(ours(await store().listSweepDue(at(40), 100))).toEqual([paying.orderId, holding.orderId]);
      const released = holdGivenBack(holding, at(41));
      await store().replace(released, holding.version);
      expect(ours(await store().listSweepDue(at(40), 100))).toEqual([paying.orderId]);
      expect(await store().countExpiredHolds(1000)).toBeGreaterThanOrEqual(1);
      const declined = outcomeApplied(paying, { outcome: 'declined', code: 'card_declined', message: 'Your card was declined.' }, at(11));
      await store().replace(declined, paying.version);
      expect(ours(await store().listSweepDue(at(60), 100))).toEqual([]);
      expect(ours(await store().listSweepDue(at(100), 100))).toEqual([paying.orderId]);
      expect(await store().get(paying.orderId)).toEqual(declined);
    });

    it('inserts once per orderId and returns whichever is stored', async () => {
      const order = place(new Date());
      expect(await store().insertIfAbsent(order)).toEqual({ inserted: true, order });
      const again = await store().insertIfAbsent({ ...order, requestHash: 'other' });
      expect(again).toEqual({ inserted: false, order });
      expect(await store().get(order.orderId)).toEqual(order);
      expect(await store().get('missing-order')).toBeNull();
    });

    it('keeps order numbers unique: another order with a taken number is not inserted', async () => {
      const first = place(new Date());
      await store().insertIfAbsent(first);
      const clash = { ...place(new Date()), number: first.number };
      expect(await store().insertIfAbsent(clash)).toBe('number_taken');
      expect(await store().get(clash.orderId)).toBeNull();
      // The same order again is found, not a clash, though its number is taken too (by itself).
      expect(await store().insertIfAbsent(first)).toEqual({ inserted: false, order: first });
    });

    it('finds an order by its number, alone or with its status', async () => {
      const [wanted, other] = [place(new Date()), place(new Date())];
      for (const order of [wanted, other]) await store().insertIfAbsent(order);
      const found = await store().list({ number: wanted.number, limit: 10 });
      expect(found.items.map((order) => order.orderId)).toEqual([wanted.orderId]);
      expect(found.items[0]).toMatchObject({ number: wanted.number, shipping: CHECKOUT.shipping, customer: CHECKOUT.customer });
      expect((await store().list({ number: wanted.number, status: 'pending', limit: 10 })).items).toEqual([]);
      expect((await store().list({ number: 'BB-ZZZZZZ', limit: 10 })).items.filter((order) => order.orderId === wanted.orderId)).toEqual([]);
    });

    it('changes an order only at the version it was read at', async () => {
      const order = place(new Date());
      await store().insertIfAbsent(order);
      const pending = transition(order, 'pending', new Date());
      expect((await store().replace(pending, 1)).outcome).toBe('replaced');
      expect((await store().replace(transition(order, 'rejected', new Date(), 'x'), 1)).outcome).toBe('stale');
      expect((await store().replace({ ...pending, orderId: 'missing-order' }, 1)).outcome).toBe('missing');
      expect((await store().get(order.orderId))?.status).toBe('pending');
    });

    it('lists by status both ways and finds orders left received', async () => {
      const base = Date.parse('2030-01-01T00:00:00Z') + Math.floor(Math.random() * 1e9);
      const orders = [0, 1, 2, 3].map((n) => place(new Date(base + n * 1000)));
      for (const order of orders) await store().insertIfAbsent(order);
      const walk = async (oldestFirst: boolean) => {
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store().list({ status: 'received', limit: 3, cursor, oldestFirst });
          ids.push(...page.items.map((order) => order.orderId));
          expect(page.items.every((order) => !('requestHash' in order))).toBe(true);
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return ids.filter((id) => orders.some((order) => order.orderId === id));
      };
      const ids = orders.map((order) => order.orderId);
      expect(await walk(true)).toEqual(ids);
      expect(await walk(false)).toEqual([...ids].reverse());
      const received = async (after: number, before: number) =>
        (await store().listReceived({ after: new Date(after), before: new Date(before) }, 100)).map((order) => order.orderId).filter((id) => ids.includes(id));
      expect(await received(0, base + 1500)).toEqual(ids.slice(0, 2));
      expect(await received(base + 1000, base + 3000)).toEqual(ids.slice(1, 3)); // from inclusive, to exclusive
      await store().replace(transition(orders[1]!, 'pending', new Date()), 1);
      expect(await received(base, base + 3000)).toEqual([ids[0], ids[2]]);
      const count = (limit: number) => store().countReceived({ after: new Date(base), before: new Date(base + 4000) }, limit);
      expect(await count(10)).toBe(3); // orders 0, 2 and 3: order 1 is pending
      expect(await count(2)).toBe(2);
    });

    it('lists the orders created in a range, whatever their status, oldest first and page by page', async () => {
      const base = Date.parse('2031-01-01T00:00:00Z') + Math.floor(Math.random() * 1e9);
      const orders = [0, 1, 2, 3, 4].map((n) => place(new Date(base + n * 1000)));
      for (const order of orders) await store().insertIfAbsent(order);
      await store().replace(transition(orders[2]!, 'pending', new Date()), 1);
      const inRange = async (after: number, before: number) => {
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store().list({ created: { after: new Date(after), before: new Date(before) }, oldestFirst: true, limit: 2, cursor });
          ids.push(...page.items.map((order) => order.orderId));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return ids;
      };
      const ids = orders.map((order) => order.orderId);
      expect(await inRange(base + 1000, base + 4000)).toEqual(ids.slice(1, 4)); // from inclusive, to exclusive; the pending one too
      expect(await inRange(base, base + 5000)).toEqual(ids);
      expect(await inRange(base + 5000, base + 9000)).toEqual([]);
    });

    it("lists one account's orders newest first, page by page, and an order it claims joins them", async () => {
      const ada = { identityProvider: 'github', userId: newId(), name: 'ada' };
      const bob = { identityProvider: 'github', userId: newId(), name: 'bob' };
      const base = Date.parse('2032-01-01T00:00:00Z') + Math.floor(Math.random() * 1e9);
      const adas = [0, 1, 2, 3, 4].map((n) => ({ ...place(new Date(base + n * 1000)), owner: ada }));
      const guests = [place(new Date(base + 500)), place(new Date(base + 1500))];
      for (const order of [...adas, ...guests, { ...place(new Date(base + 2500)), owner: bob }]) await store().insertIfAbsent(order);
      const walk = async (who: typeof ada) => {
        const ids: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store().list({ ownerKey: ownerKey(who), limit: 2, cursor });
          expect(page.items.length).toBeLessThanOrEqual(2);
          expect(page.items.every((order) => order.owner?.userId === who.userId && !('ownerKey' in order))).toBe(true);
          ids.push(...page.items.map((order) => order.orderId));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return ids;
      };
      expect(await walk(ada)).toEqual(adas.map((order) => order.orderId).reverse());
      expect(await store().get(adas[0]!.orderId)).toEqual(adas[0]);

      const claimed = { ...guests[1]!, owner: ada, version: 2 };
      expect((await store().replace(claimed, 1)).outcome).toBe('replaced');
      expect(await store().get(claimed.orderId)).toEqual(claimed);
      const ids = adas.map((order) => order.orderId);
      expect(await walk(ada)).toEqual([ids[4], ids[3], ids[2], claimed.orderId, ids[1], ids[0]]);
      expect(await walk(bob)).toHaveLength(1);
    });

    it('counts orders by status and per minute of creation', async () => {
      const minute = Date.parse('2031-02-03T04:05:00Z') + Math.floor(Math.random() * 1e6) * 60_000;
      const before = await store().countByStatus();
      const orders = [0, 10_000, 61_000].map((offset) => place(new Date(minute + offset)));
      for (const order of orders) await store().insertIfAbsent(order);
      const pending = transition(orders[0]!, 'pending', new Date());
      await store().replace(pending, 1);
      // What repeats or loses a race counts nothing: the same insert again, a stale replace, a
      // replace that keeps the status.
      await store().insertIfAbsent(orders[1]!);
      expect((await store().replace(transition(orders[0]!, 'cancelled', new Date()), 1)).outcome).toBe('stale');
      await store().replace({ ...pending, version: pending.version + 1 }, pending.version);
      const after = await store().countByStatus();
      expect(after.received - before.received).toBe(2);
      expect(after.pending - before.pending).toBe(1);
      expect(after.cancelled - before.cancelled).toBe(0);
      const perMinute = await store().countPerMinute(new Date(minute));
      const first = new Date(minute).toISOString().slice(0, 16);
      const second = new Date(minute + 60_000).toISOString().slice(0, 16);
      expect(perMinute.filter((entry) => entry.minute === first || entry.minute === second)).toEqual([
        { minute: first, count: 2 },
        { minute: second, count: 1 },
      ]);
    });
  });
  orderReadsContract(adapter, store);
}

/** Reading many orders at once, which the repair of stranded stock holds relies on. */
export function orderReadsContract(adapter: string, store: () => OrderStore): void {
  const place = (createdAt: Date) => newOrder(newId(), randomOrderNumber(), CHECKOUT, [item], 'hash-1', createdAt);

  describe(`OrderStore many-orders contract: ${adapter}`, () => {
    it('reads many orders in one call, as stored, leaving out ids it does not have', async () => {
      const guest = place(new Date());
      const owned = { ...place(new Date()), owner: { identityProvider: 'github', userId: newId(), name: 'ada' } };
      for (const order of [guest, owned]) await store().insertIfAbsent(order);
      const cancelled = transition(owned, 'cancelled', new Date(), 'Changed my mind.');
      await store().replace(cancelled, owned.version);
      const byId = (a: { orderId: string }, b: { orderId: string }) => a.orderId.localeCompare(b.orderId);
      const found = await store().getMany([guest.orderId, 'missing-order', cancelled.orderId, guest.orderId]);
      expect(found.sort(byId)).toEqual([guest, cancelled].sort(byId));
      expect(await store().getMany(['missing-order'])).toEqual([]);
      expect(await store().getMany([])).toEqual([]);
    });
  });
}
