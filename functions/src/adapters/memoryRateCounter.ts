import type { Clock, RateCounter } from '../ports.js';

/** Keys kept at most: past this, the windows that end soonest go first, so memory stays bounded under any number of clients. */
const MAX_KEYS = 100_000;

/** One instance's counts, in memory: for limits that may differ between instances (reads). */
export class MemoryRateCounter implements RateCounter {
  private readonly windows = new Map<string, { hits: number; endMs: number }>();

  constructor(private readonly clock: Clock) {}

  async hit(key: string, windowEndMs: number): Promise<number> {
    const now = this.clock.now().getTime();
    const entry = this.windows.get(key);
    if (entry && entry.endMs > now) return ++entry.hits;
    if (this.windows.size >= MAX_KEYS) this.forget(now);
    this.windows.set(key, { hits: 1, endMs: windowEndMs });
    return 1;
  }

  /** Drops ended windows, and if that is not enough, the tenth of the keys whose windows end first. */
  private forget(now: number): void {
    for (const [key, entry] of this.windows) if (entry.endMs <= now) this.windows.delete(key);
    if (this.windows.size < MAX_KEYS) return;
    const soonest = [...this.windows].sort((a, b) => a[1].endMs - b[1].endMs).slice(0, MAX_KEYS / 10);
    for (const [key] of soonest) this.windows.delete(key);
  }
}
