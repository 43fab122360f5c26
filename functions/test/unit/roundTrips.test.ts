import { describe, expect, it } from 'vitest';
import { callsPerOrder } from '../../../bench/roundTrips.js';
import { describeOnMongo } from '../support/mongoSuite.js';

/**
 * Store and queue calls per order step, counted on the ports (embedded) and on the MongoDB
 * driver (each call a round trip to Cosmos DB). The same for a 1-item and a 12-item order: placing
 * reserves, and a rejection gives back, all of an order's items in one call.
 */
describe('calls per order', () => {
  it('embedded SQLite: a constant number of port calls per step, whatever the order’s size', async () => {
    for (const items of [1, 12]) {
      const calls = await callsPerOrder('embedded SQLite', items);
      // Placed and paid in one call: stored awaiting payment (with the attempt), stock held, charged, outcome written, queued.
      expect(calls.place).toEqual({ store: ['products.getMany', 'orders.insertIfAbsent', 'products.reserveStock', 'payments.charge', 'orders.replace'], queue: ['queue.send'] });
      expect(calls.placeUnpaid).toEqual({ store: ['products.getMany', 'orders.insertIfAbsent', 'products.reserveStock'], queue: [] });
      // A paid order holds its stock already: the makeline only writes it pending.
      expect(calls.make).toEqual({ store: ['orders.get', 'orders.replace'], queue: [] });
      expect(calls.complete.store).toEqual(['orders.get', 'orders.replace', 'orders.get', 'orders.replace', 'products.forgetHolds']);
      expect(calls.reject.store).toEqual(['orders.get', 'products.reserveStock', 'orders.replace', 'products.releaseStock']);
    }
  });

});

describeOnMongo('calls per order on a MongoDB-wire server', (server) => {
  it('Cosmos DB for MongoDB: a constant number of round trips per step, whatever the order’s size', async () => {
    for (const items of [1, 12]) {
      const calls = await callsPerOrder('Cosmos DB for MongoDB', items, server().uri);
      // Placing claims the order's number (orderNumbers) before it stores the order: one round trip more than one insert.
      // Every write that adds an order or changes its status moves the overview's counts (orderCounts): one more.
      const counted = 'orderCounts.update';
      // The ordered bulk write of one update per item is one update command; the demo provider's charge, one read and one insert.
      const placedUnpaid = ['products.find', 'orderNumbers.insert', 'orders.insert', counted, 'products.update'];
      expect(calls.placeUnpaid).toEqual({ store: placedUnpaid, queue: [] });
      expect(calls.place).toEqual({ store: [...placedUnpaid, 'paymentLedger.find', 'paymentLedger.insert', 'orders.findAndModify', counted], queue: ['queue.send'] });
      expect(calls.make).toEqual({ store: ['orders.find', 'orders.findAndModify', counted], queue: [] });
      expect(calls.complete.store).toEqual(['orders.find', 'orders.findAndModify', counted, 'orders.find', 'orders.findAndModify', counted, 'products.update']);
      // The others stay held until the order is rejected; then one read, and one write if anything was taken, give them back.
      const giveBack = items > 1 ? ['products.update'] : [];
      expect(calls.reject.store).toEqual(['orders.find', 'products.update', 'products.find', 'orders.findAndModify', counted, 'products.find', ...giveBack]);
    }
  });
});
