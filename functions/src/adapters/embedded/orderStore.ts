import { ORDER_STATUSES, publicOrder, type Order, type OrderStatus, type StoredOrder } from '../../domain/order.js';
import type { CreatedBetween, OrderListQuery, OrderStore, Page, ReplaceResult } from '../../ports.js';
import type { SqliteFile } from './database.js';
import { cursorKey, pageOf } from '../cursor.js';
import { ownerKey } from '../../domain/owner.js';
import { sweepDueAt } from '../../domain/payment.js';

interface OrderRow {
  order_id: string;
  created_at: string;
  doc: string;
}

const toOrder = (row: OrderRow): StoredOrder => JSON.parse(row.doc) as StoredOrder;
const ownerKeyOf = (order: StoredOrder): string | null => (order.owner ? ownerKey(order.owner) : null);

/** Takes the range's two ends as parameters. */
const RECEIVED_BETWEEN = `status = 'received' AND created_at >= ? AND created_at < ?`;

export class SqliteOrderStore implements OrderStore {
  constructor(private readonly file: SqliteFile) {}

  async insertIfAbsent(order: StoredOrder): Promise<{ inserted: boolean; order: StoredOrder } | 'number_taken'> {
    const doc = JSON.stringify(order);
    const inserted = await this.file.write(
      () =>
        this.file
          .statement(
            // No conflict target: a taken order id and a taken number both insert nothing.
            `INSERT INTO orders (order_id, number, status, created_at, version, owner_key, sweep_at, doc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT DO NOTHING`,
          )
          .run(order.orderId, order.number ?? null, order.status, order.createdAt, order.version, ownerKeyOf(order), sweepDueAt(order) ?? null, doc).changes === 1,
    );
    if (inserted) return { inserted, order };
    const existing = await this.get(order.orderId);
    return existing ? { inserted, order: existing } : 'number_taken';
  }

  async get(orderId: string): Promise<StoredOrder | null> {
    const row = this.file.statement<[string], OrderRow>('SELECT * FROM orders WHERE order_id = ?').get(orderId);
    return row ? toOrder(row) : null;
  }

  /** The ids as one JSON parameter: one prepared statement however many there are. */
  async getMany(orderIds: readonly string[]): Promise<StoredOrder[]> {
    if (orderIds.length === 0) return [];
    return this.file
      .statement<[string], OrderRow>('SELECT * FROM orders WHERE order_id IN (SELECT value FROM json_each(?))')
      .all(JSON.stringify(orderIds))
      .map(toOrder);
  }

  async replace(order: StoredOrder, expectedVersion: number): Promise<ReplaceResult<StoredOrder>> {
    const doc = JSON.stringify(order);
    const changed = await this.file.write(
      () =>
        this.file
          .statement('UPDATE orders SET status = ?, version = ?, owner_key = ?, sweep_at = ?, doc = ? WHERE order_id = ? AND version = ?')
          .run(order.status, order.version, ownerKeyOf(order), sweepDueAt(order) ?? null, doc, order.orderId, expectedVersion).changes,
    );
    if (changed === 1) return { outcome: 'replaced', value: order };
    return { outcome: (await this.get(order.orderId)) ? 'stale' : 'missing' };
  }

  async list(query: OrderListQuery): Promise<Page<Order>> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit + 1 };
    if (query.status) {
      where.push('status = @status');
      params.status = query.status;
    }
    if (query.ownerKey !== undefined) {
      where.push('owner_key = @ownerKey');
      params.ownerKey = query.ownerKey;
    }
    if (query.number) {
      where.push('number = @number');
      params.number = query.number;
    }
    if (query.created) {
      where.push('created_at >= @createdFrom AND created_at < @createdTo');
      params.createdFrom = query.created.after.toISOString();
      params.createdTo = query.created.before.toISOString();
    }
    const direction = query.oldestFirst ? { after: '>', order: 'ASC' } : { after: '<', order: 'DESC' };
    const after = cursorKey(query.cursor, 2);
    if (after) {
      where.push(`(created_at, order_id) ${direction.after} (@afterAt, @afterId)`);
      [params.afterAt, params.afterId] = after;
    }
    const rows = this.file
      .statement<[Record<string, unknown>], OrderRow>(
        `SELECT * FROM orders ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY created_at ${direction.order}, order_id ${direction.order} LIMIT @limit`,
      )
      .all(params);
    return pageOf(rows, query.limit, (row) => publicOrder(toOrder(row)), (row) => [row.created_at, row.order_id]);
  }

  async listReceived(created: CreatedBetween, limit: number): Promise<StoredOrder[]> {
    return this.file
      .statement<[string, string, number], OrderRow>(`SELECT * FROM orders WHERE ${RECEIVED_BETWEEN} ORDER BY created_at, order_id LIMIT ?`)
      .all(created.after.toISOString(), created.before.toISOString(), limit)
      .map(toOrder);
  }

  async countReceived(created: CreatedBetween, limit: number): Promise<number> {
    return this.file
      .statement<[string, string, number], { n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM orders WHERE ${RECEIVED_BETWEEN} LIMIT ?)`)
      .get(created.after.toISOString(), created.before.toISOString(), limit)!.n;
  }

  async listSweepDue(now: Date, limit: number): Promise<StoredOrder[]> {
    return this.file
      .statement<[string, number], OrderRow>('SELECT * FROM orders WHERE sweep_at IS NOT NULL AND sweep_at <= ? ORDER BY sweep_at LIMIT ?')
      .all(now.toISOString(), limit)
      .map(toOrder);
  }

  async countExpiredHolds(limit: number): Promise<number> {
    return this.file
      .statement<[number], { n: number }>(
        `SELECT COUNT(*) AS n FROM (SELECT 1 FROM orders WHERE status = 'awaiting_payment' AND json_extract(doc, '$.holdReleased') = 1 LIMIT ?)`,
      )
      .get(limit)!.n;
  }

  async countByStatus(): Promise<Record<OrderStatus, number>> {
    const counts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as Record<OrderStatus, number>;
    // Kept by triggers on orders (schema.ts): one row a status, however many orders there are.
    const rows = this.file.statement<[], { status: OrderStatus; n: number }>('SELECT status, n FROM order_counts').all();
    for (const row of rows) counts[row.status] = row.n;
    return counts;
  }

  async countPerMinute(since: Date): Promise<Array<{ minute: string; count: number }>> {
    return this.file
      .statement<[string], { minute: string; count: number }>(
        `SELECT substr(created_at, 1, 16) AS minute, COUNT(*) AS count FROM orders
         WHERE created_at >= ? GROUP BY minute ORDER BY minute`,
      )
      .all(since.toISOString());
  }

  /** Orders must be savable, not only readable: a store that cannot write cannot take one. */
  async ping(): Promise<void> {
    this.file.statement('SELECT 1 FROM orders LIMIT 1').get();
    await this.file.ping();
  }
}
