import { describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import type { OrderQueue } from '../../src/ports.js';

export interface QueueUnderTest {
  queue: OrderQueue;
  /** Takes the next active message and dead-letters it, as the consumer side would after too many failures. */
  deadLetterNext(reason: string): Promise<void>;
  /** Receives and completes every active message; returns their bodies. */
  drain(): Promise<string[]>;
}

export function orderQueueContract(adapter: string, subject: () => QueueUnderTest): void {
  describe(`OrderQueue contract: ${adapter}`, () => {
    it('drops a second send with the same messageId inside the detection window', async () => {
      const { queue, drain } = subject();
      await drain();
      const orderId = newId();
      await queue.send({ orderId }, orderId);
      await queue.send({ orderId }, orderId);
      expect((await drain()).map((body) => JSON.parse(body))).toEqual([{ orderId }]);
    });

    it('lists dead letters a page at a time, oldest first, each page continuing after the one before', async () => {
      const { queue, deadLetterNext, drain } = subject();
      await drain();
      const ids = [newId(), newId(), newId()];
      for (const id of ids) {
        await queue.send({ orderId: id }, id);
        await deadLetterNext('PagedForTest');
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await queue.deadLetters({ limit: 2, cursor });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((letter) => letter.messageId));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
      expect(new Set(seen).size).toBe(seen.length);
      for (const letter of (await queue.deadLetters({ limit: 100 })).items) {
        if (ids.includes(letter.messageId)) await queue.discardDeadLetter(letter.sequenceNumber);
      }
    });

    it('lists a dead letter with its reason, replays it as a new message, and discards another', async () => {
      const { queue, deadLetterNext, drain } = subject();
      await drain();
      const [first, second] = [newId(), newId()];
      await queue.send({ orderId: first }, first);
      await deadLetterNext('PoisonForTest');
      await queue.send({ orderId: second }, second);
      await deadLetterNext('PoisonForTest');

      const letters = (await queue.deadLetters({ limit: 100 })).items.filter((letter) => [first, second].includes(letter.messageId));
      expect(letters.map((letter) => [letter.messageId, letter.reason])).toEqual([
        [first, 'PoisonForTest'],
        [second, 'PoisonForTest'],
      ]);
      expect(JSON.parse(letters[0]!.body)).toEqual({ orderId: first });
      expect((await queue.depth()).deadLettered).toBeGreaterThanOrEqual(2);

      expect(await queue.replayDeadLetter(letters[0]!.sequenceNumber)).toMatchObject({ messageId: first, reason: 'PoisonForTest' });
      expect(await queue.discardDeadLetter(letters[1]!.sequenceNumber)).toMatchObject({ messageId: second });
      expect(await queue.discardDeadLetter(letters[1]!.sequenceNumber)).toBeNull();
      expect((await queue.deadLetters({ limit: 100 })).items.filter((letter) => [first, second].includes(letter.messageId))).toEqual([]);
      expect((await drain()).map((body) => JSON.parse(body))).toEqual([{ orderId: first }]);
      await expect(queue.ping()).resolves.toBeUndefined();
    });
  });
}
