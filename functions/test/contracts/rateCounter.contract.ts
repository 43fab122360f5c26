import { describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import type { RateCounter } from '../../src/ports.js';

/** What the rate limit step (http/rateLimit.ts) needs of a counter: each hit counted once, per key, none lost. */
export function rateCounterContract(adapter: string, counter: () => RateCounter): void {
  describe(`RateCounter contract: ${adapter}`, () => {
    const windowEnd = () => Date.now() + 600_000;

    it('answers each hit with the count so far, one key apart from another', async () => {
      const [a, b] = [`orders|address:${newId()}|0`, `orders|address:${newId()}|0`];
      const end = windowEnd();
      expect(await counter().hit(a, end)).toBe(1);
      expect(await counter().hit(a, end)).toBe(2);
      expect(await counter().hit(b, end)).toBe(1);
      expect(await counter().hit(a, end)).toBe(3);
    });

    it('loses no hit sent at once', async () => {
      const key = `claims|address:${newId()}|0`;
      const end = windowEnd();
      const counts = await Promise.all(Array.from({ length: 20 }, () => counter().hit(key, end)));
      expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    });
  });
}
