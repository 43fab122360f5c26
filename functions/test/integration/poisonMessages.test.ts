import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { EmbeddedQueue } from '../../src/adapters/embedded/queue.js';
import { ORDERS_QUEUE } from '../../src/triggers.js';
import { call, createProduct, eventually, useHost } from '../support/localHost.js';
import { CHECKOUT } from '../support/checkout.js';

describe('poison messages', () => {
  const host = useHost({ SEED_CATALOG: 'false' });
  let queue: EmbeddedQueue;
  let close: () => void;
  beforeAll(async () => {
    // A second process writing into the same queue, as another Service Bus sender would.
    const file = new SqliteFile(join(host.dataDir, 'store.db'));
    close = () => file.close();
    queue = new EmbeddedQueue(file, { queueName: ORDERS_QUEUE, lockDurationMs: 60_000, maxDeliveryCount: 10, duplicateDetectionWindowMs: 600_000 });
  });
  afterAll(async () => {
    close();
  });

  it('dead-letters garbage and orders that do not exist after 10 deliveries, without blocking real orders', async () => {
    await queue.sendRaw('{not json at all', 'poison-garbage');
    await queue.sendRaw(JSON.stringify({ orderId: 'no-such-order-123' }), 'poison-missing');
    await queue.sendRaw(JSON.stringify({ hello: 'world' }), 'poison-shape');

    const product = await createProduct(host.url);
    const placed = await call(host.url, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT } });
    await eventually(async () => (await call(host.url, 'GET', placed.body.statusUrl)).body.status === 'pending', 2000);

    const deadLetters = await eventually(async () => {
      const letters = (await queue.deadLetters({ limit: 10 })).items;
      return letters.length === 3 && letters;
    });
    for (const letter of deadLetters) {
      expect(letter.deliveryCount).toBe(10);
      expect(letter.reason).toBe('MaxDeliveryCountExceeded');
      expect(letter.description).not.toBe('');
    }
    expect(deadLetters.map((letter) => letter.messageId).sort()).toEqual(['poison-garbage', 'poison-missing', 'poison-shape']);
    expect(deadLetters.find((letter) => letter.messageId === 'poison-missing')?.description).toMatch(/does not exist/);
    expect(await queue.depth()).toEqual({ active: 0, deadLettered: 3 });
  });
});
