import type { Collection, Db } from 'mongodb';
import type { RateCounter } from '../../ports.js';
import { withThrottlingRetry as retry } from './throttling.js';

interface CounterDocument {
  _id: string;
  hits: number;
  windowEnd: number;
}

/**
 * The counts in `rateCounters`, one document a client and window, shared by every instance: one
 * upserting `$inc` a hit. Cosmos DB deletes them by itself through the collection's TTL index on
 * `_ts` (STORE_INDEXES), a day after a document last changed.
 */
export class MongoRateCounter implements RateCounter {
  private readonly counters: Collection<CounterDocument>;

  constructor(db: Db) {
    this.counters = db.collection<CounterDocument>('rateCounters');
  }

  async hit(key: string, windowEndMs: number): Promise<number> {
    // A throttled write was not applied, so retrying it counts the hit once.
    const counted = await retry(() =>
      this.counters.findOneAndUpdate(
        { _id: key },
        { $inc: { hits: 1 }, $setOnInsert: { windowEnd: windowEndMs } },
        // No projection: the document is three fields, and FerretDB refuses one on findAndModify.
        { upsert: true, returnDocument: 'after' },
      ),
    );
    return counted?.hits ?? 1;
  }
}
