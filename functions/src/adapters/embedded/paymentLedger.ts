import type { LedgerEntry, PaymentLedger } from '../../ports.js';
import type { SqliteFile } from './database.js';

interface LedgerRow {
  doc: string;
}

const toEntry = (row: LedgerRow): LedgerEntry => JSON.parse(row.doc) as LedgerEntry;

/** The demo provider's ledger in the store's file (table payment_ledger), each entry written durably before it is answered. */
export class SqlitePaymentLedger implements PaymentLedger {
  constructor(private readonly file: SqliteFile) {}

  async recordIfAbsent(entry: LedgerEntry): Promise<LedgerEntry> {
    await this.file.write(() =>
      this.file
        .statement('INSERT INTO payment_ledger (key, order_id, at, doc) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO NOTHING')
        .run(entry.key, entry.orderId, entry.at, JSON.stringify(entry)),
    );
    return (await this.get(entry.key))!;
  }

  async get(key: string): Promise<LedgerEntry | null> {
    const row = this.file.statement<[string], LedgerRow>('SELECT doc FROM payment_ledger WHERE key = ?').get(key);
    return row ? toEntry(row) : null;
  }

  async decide(key: string, decided: LedgerEntry): Promise<LedgerEntry | null> {
    await this.file.write(() =>
      this.file
        .statement("UPDATE payment_ledger SET doc = ? WHERE key = ? AND json_extract(doc, '$.state') = 'requires_action'")
        .run(JSON.stringify(decided), key),
    );
    return this.get(key);
  }

  async forOrder(orderId: string): Promise<LedgerEntry[]> {
    return this.file
      .statement<[string], LedgerRow>('SELECT doc FROM payment_ledger WHERE order_id = ? ORDER BY at, key')
      .all(orderId)
      .map(toEntry);
  }
}
