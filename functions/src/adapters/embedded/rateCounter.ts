import type { Clock, RateCounter } from '../../ports.js';
import type { SqliteFile } from './database.js';

/** How often a host deletes the windows that are over: the table holds at most this much dead weight. */
const SWEEP_EVERY_MS = 60_000;

/**
 * The counts in the store's file, so every host on it (and its queue worker) sees the same.
 * One upsert a hit, committed relaxed: a count lost to a power cut only lets a client a few
 * requests more, never loses an order.
 */
export class SqliteRateCounter implements RateCounter {
  private nextSweep = 0;

  constructor(
    private readonly file: SqliteFile,
    private readonly clock: Clock,
  ) {}

  async hit(key: string, windowEndMs: number): Promise<number> {
    const now = this.clock.now().getTime();
    const sweep = now >= this.nextSweep;
    if (sweep) this.nextSweep = now + SWEEP_EVERY_MS;
    return this.file.write(() => {
      if (sweep) this.file.statement<[number]>('DELETE FROM rate_counters WHERE window_end < ?').run(now);
      const row = this.file
        .statement<[string, number], { hits: number }>(
          `INSERT INTO rate_counters (key, hits, window_end) VALUES (?, 1, ?)
           ON CONFLICT (key) DO UPDATE SET hits = hits + 1 RETURNING hits`,
        )
        .get(key, windowEndMs);
      return row!.hits;
    }, 'relaxed');
  }
}
