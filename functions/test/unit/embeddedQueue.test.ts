import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { EmbeddedQueue, MessageLockLostError, type ReceivedMessage } from '../../src/adapters/embedded/queue.js';

describe('the embedded queue behaves like a Service Bus queue', () => {
  let dir: string;
  let file: SqliteFile;
  let now: number;
  const open = (database: SqliteFile) =>
    new EmbeddedQueue(database, {
      queueName: 'orders',
      lockDurationMs: 30_000,
      maxDeliveryCount: 3,
      duplicateDetectionWindowMs: 600_000,
      now: () => now,
    });
  let queue: EmbeddedQueue;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bestbuy-queue-'));
    file = new SqliteFile(join(dir, 'store.db'));
    now = Date.parse('2026-01-01T00:00:00Z');
    queue = open(file);
  });
  afterEach(() => {
    file.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hides a locked message until its lock expires, then redelivers it with a higher deliveryCount', async () => {
    await queue.send({ orderId: 'a1' }, 'a1');
    const [first] = await queue.receive(10);
    expect(first).toMatchObject({ messageId: 'a1', deliveryCount: 1, body: '{"orderId":"a1"}' });
    expect(first!.enqueuedTimeUtc).toBe('2026-01-01T00:00:00.000Z');
    expect(await queue.receive(10)).toEqual([]);
    now += 30_001;
    const [again] = await queue.receive(10);
    expect(again).toMatchObject({ messageId: 'a1', deliveryCount: 2 });
    await expect(queue.complete(first!.lockToken)).rejects.toThrow(MessageLockLostError);
    await queue.complete(again!.lockToken);
    expect(await queue.depth()).toEqual({ active: 0, deadLettered: 0 });
  });

  it('delivers in order and redelivers an abandoned message at once', async () => {
    for (const id of ['m1', 'm2', 'm3']) await queue.send({ orderId: id }, id);
    const batch = await queue.receive(2);
    expect(batch.map((message) => message.messageId)).toEqual(['m1', 'm2']);
    await queue.abandon(batch[0]!.lockToken, 'boom');
    expect((await queue.receive(10)).map((message) => [message.messageId, message.deliveryCount])).toEqual([
      ['m1', 2],
      ['m3', 1],
    ]);
  });

  it('dead-letters after the max delivery count, keeping the reason, and moves on', async () => {
    await queue.send({ orderId: 'bad' }, 'bad');
    await queue.send({ orderId: 'good' }, 'good');
    for (let delivery = 1; delivery <= 3; delivery++) {
      const [bad] = (await queue.receive(1)) as [ReceivedMessage];
      expect(bad.messageId).toBe('bad');
      expect(bad.deliveryCount).toBe(delivery);
      await queue.abandon(bad.lockToken, `failure ${delivery}`);
    }
    const [left] = await queue.receive(10);
    expect(left!.messageId).toBe('good');
    const [letter] = (await queue.deadLetters({ limit: 10 })).items;
    expect(letter).toMatchObject({ messageId: 'bad', deliveryCount: 3, reason: 'MaxDeliveryCountExceeded', description: 'failure 3' });
  });

  it('dead-letters a message whose lock expired on its last allowed delivery', async () => {
    await queue.send({ orderId: 'slow' }, 'slow');
    for (let delivery = 1; delivery <= 3; delivery++) {
      expect(await queue.receive(1)).toHaveLength(1);
      now += 30_001;
    }
    expect(await queue.receive(1)).toEqual([]);
    expect(await queue.depth()).toEqual({ active: 0, deadLettered: 1 });
  });

  it('drops a duplicate messageId inside the detection window and accepts it after', async () => {
    await queue.send({ orderId: 'd1' }, 'd1');
    await queue.send({ orderId: 'd1' }, 'd1');
    expect((await queue.depth()).active).toBe(1);
    await queue.complete((await queue.receive(10))[0]!.lockToken);
    await queue.send({ orderId: 'd1' }, 'd1');
    expect((await queue.depth()).active).toBe(0);
    now += 600_001;
    await queue.pruneSeenIds();
    await queue.send({ orderId: 'd1' }, 'd1');
    expect((await queue.depth()).active).toBe(1);
  });

  it('keeps messages and their delivery counts across a reopen of the file', async () => {
    await queue.send({ orderId: 'kept' }, 'kept');
    await queue.receive(1);
    file.close();
    file = new SqliteFile(join(dir, 'store.db'));
    queue = open(file);
    now += 30_001;
    expect((await queue.receive(1))[0]).toMatchObject({ messageId: 'kept', deliveryCount: 2 });
  });
});
