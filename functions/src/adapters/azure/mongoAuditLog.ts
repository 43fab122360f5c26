import type { Collection, Db } from 'mongodb';
import type { AuditEntry, AuditLog, Page } from '../../ports.js';
import { cursorKey, pageOf } from '../cursor.js';
import { withThrottlingRetry } from './throttling.js';

type AuditDocument = Omit<AuditEntry, 'id'> & { _id: string };

export class MongoAuditLog implements AuditLog {
  private readonly entries: Collection<AuditDocument>;

  constructor(db: Db) {
    this.entries = db.collection<AuditDocument>('audit');
  }

  async record({ id, ...entry }: AuditEntry): Promise<void> {
    await withThrottlingRetry(() => this.entries.insertOne({ _id: id, ...entry }));
  }

  async list(query: { limit: number; cursor?: string | undefined }): Promise<Page<AuditEntry>> {
    const before = cursorKey(query.cursor, 2);
    const filter = before ? { $or: [{ at: { $lt: before[0]! } }, { at: before[0]!, _id: { $lt: before[1]! } }] } : {};
    const documents = await withThrottlingRetry(() => this.entries.find(filter).sort({ at: -1, _id: -1 }).limit(query.limit + 1).toArray());
    return pageOf(documents, query.limit, ({ _id, ...entry }) => ({ id: _id, ...entry }), (document) => [document.at, document._id]);
  }
}
