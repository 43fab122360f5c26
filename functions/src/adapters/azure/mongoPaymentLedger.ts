import type { Collection, Db } from 'mongodb';
import type { LedgerEntry, PaymentLedger } from '../../ports.js';
import { isDuplicateKey } from './mongo.js';
import { withThrottlingRetry } from './throttling.js';

type LedgerDocument = LedgerEntry & { _id: string };

const toEntry = ({ _id: _key, ...entry }: LedgerDocument): LedgerEntry => entry;

/** The demo provider's ledger in the collection paymentLedger, the idempotency key as _id. */
export class MongoPaymentLedger implements PaymentLedger {
  private readonly entries: Collection<LedgerDocument>;

  constructor(db: Db) {
    this.entries = db.collection<LedgerDocument>('paymentLedger');
  }

  async recordIfAbsent(entry: LedgerEntry): Promise<LedgerEntry> {
    try {
      await withThrottlingRetry(() => this.entries.insertOne({ _id: entry.key, ...entry }));
      return entry;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return (await this.get(entry.key))!;
  }

  async get(key: string): Promise<LedgerEntry | null> {
    const document = await withThrottlingRetry(() => this.entries.findOne({ _id: key }));
    return document ? toEntry(document) : null;
  }

  async decide(key: string, decided: LedgerEntry): Promise<LedgerEntry | null> {
    await withThrottlingRetry(() => this.entries.replaceOne({ _id: key, state: 'requires_action' }, decided));
    return this.get(key);
  }

  async forOrder(orderId: string): Promise<LedgerEntry[]> {
    const documents = await withThrottlingRetry(() => this.entries.find({ orderId }).sort({ orderId: 1, at: 1, _id: 1 }).toArray());
    return documents.map(toEntry);
  }
}
