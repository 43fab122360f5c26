import type { AuditEntry, AuditLog, Page } from '../../ports.js';
import { cursorKey, pageOf } from '../cursor.js';
import type { SqliteFile } from './database.js';

interface AuditRow {
  at: string;
  id: string;
  doc: string;
}

export class SqliteAuditLog implements AuditLog {
  constructor(private readonly file: SqliteFile) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.file.write(() =>
      this.file.statement('INSERT INTO audit_log (at, id, doc) VALUES (?, ?, ?)').run(entry.at, entry.id, JSON.stringify(entry)),
    );
  }

  async list(query: { limit: number; cursor?: string | undefined }): Promise<Page<AuditEntry>> {
    const before = cursorKey(query.cursor, 2);
    const rows = before
      ? this.file
          .statement<[string, string, number], AuditRow>('SELECT * FROM audit_log WHERE (at, id) < (?, ?) ORDER BY at DESC, id DESC LIMIT ?')
          .all(before[0]!, before[1]!, query.limit + 1)
      : this.file.statement<[number], AuditRow>('SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT ?').all(query.limit + 1);
    return pageOf(rows, query.limit, (row) => JSON.parse(row.doc) as AuditEntry, (row) => [row.at, row.id]);
  }
}
