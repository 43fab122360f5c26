import type { Collection, Db } from 'mongodb';
import { ORDER_STATUSES, publicOrder, type Order, type OrderStatus, type StoredOrder } from '../../domain/order.js';
import type { CreatedBetween, OrderListQuery, OrderStore, Page, ReplaceResult } from '../../ports.js';
import { pageOf } from '../cursor.js';
import { ownerKey } from '../../domain/owner.js';
import { sweepDueAt } from '../../domain/payment.js';
import { isDuplicateKey } from './mongo.js';
import { orderListQuery, type OrderDocument } from './mongoQueries.js';
import { withThrottlingRetry } from './throttling.js';

const toOrder = ({ _id: _key, ownerKey: _owner, sweepAt: _due, ...order }: OrderDocument): StoredOrder => order;
/** The order, with beside it what the indexes need: its account, and when the sweeper has work for it. */
function toDocument(order: StoredOrder): OrderDocument {
  const sweepAt = sweepDueAt(order);
  return { _id: order.orderId, ...order, ...(order.owner && { ownerKey: ownerKey(order.owner) }), ...(sweepAt && { sweepAt }) };
}

/** Claims are never removed: a number stays its order's for good, whatever becomes of the order. */
interface NumberClaim {
  _id: string;
  orderId: string;
}

/**
 * How many orders each status has, in one document of orderCounts, for the admin overview: one
 * point read however many orders there are. Only a write that stored an order, or changed its
 * status, moves the counts, so a retried insert or a stale replace counts nothing twice.
 */
type OrderCounts = { _id: typeof COUNTS_ID } & Partial<Record<OrderStatus, number>>;
const COUNTS_ID = 'byStatus';

const receivedBetween = (created: CreatedBetween) => ({ status: 'received' as const, createdAt: { $gte: created.after.toISOString(), $lt: created.before.toISOString() } });

export class MongoOrderStore implements OrderStore {
  private readonly orders: Collection<OrderDocument>;
  private readonly numbers: Collection<NumberClaim>;
  private readonly counts: Collection<OrderCounts>;

  constructor(db: Db) {
    this.orders = db.collection<OrderDocument>('orders');
    this.numbers = db.collection<NumberClaim>('orderNumbers');
    this.counts = db.collection<OrderCounts>('orderCounts');
  }

  /**
   * Claims the order's number, then inserts the order. The claim comes first so that no stored
   * order ever shows a number another order holds. A crash between the two leaves the number
   * claimed by this orderId: a retry with the same Idempotency-Key has the same orderId (and
   * number), finds its own claim and inserts the order. Without a retry the claim is orphaned:
   * one number wasted among about a billion, which is acceptable.
   */
  async insertIfAbsent(order: StoredOrder): Promise<{ inserted: boolean; order: StoredOrder } | 'number_taken'> {
    if (order.number && !(await this.claim(order.number, order.orderId))) return 'number_taken';
    try {
      await withThrottlingRetry(() => this.orders.insertOne(toDocument(order)));
      await this.count({ [order.status]: 1 });
      return { inserted: true, order };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    // The same id: an earlier request stored it. None: orders still has the unique number index of
    // a deployment from before the claims, and one of that deployment's orders holds this number.
    const existing = await this.get(order.orderId);
    return existing ? { inserted: false, order: existing } : 'number_taken';
  }

  /** True when the number is now this order's: newly claimed, or claimed by it before. */
  private async claim(number: string, orderId: string): Promise<boolean> {
    try {
      await withThrottlingRetry(() => this.numbers.insertOne({ _id: number, orderId }));
      return true;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const holder = await withThrottlingRetry(() => this.numbers.findOne({ _id: number }));
    return holder?.orderId === orderId;
  }

  async get(orderId: string): Promise<StoredOrder | null> {
    const document = await withThrottlingRetry(() => this.orders.findOne({ _id: orderId }));
    return document ? toOrder(document) : null;
  }

  async getMany(orderIds: readonly string[]): Promise<StoredOrder[]> {
    if (orderIds.length === 0) return [];
    const documents = await withThrottlingRetry(() => this.orders.find({ _id: { $in: [...orderIds] } }).toArray());
    return documents.map(toOrder);
  }

  async replace(order: StoredOrder, expectedVersion: number): Promise<ReplaceResult<StoredOrder>> {
    // The status it had comes back with the write (one round trip), for the counts. The whole
    // document: FerretDB refuses a projection on findAndModify, and an order is a few kB.
    const before = await withThrottlingRetry(() =>
      this.orders.findOneAndReplace({ _id: order.orderId, version: expectedVersion }, toDocument(order), { returnDocument: 'before' }),
    );
    if (before) {
      if (before.status !== order.status) await this.count({ [before.status]: -1, [order.status]: 1 });
      return { outcome: 'replaced', value: order };
    }
    return { outcome: (await this.get(order.orderId)) ? 'stale' : 'missing' };
  }

  /**
   * Moves the counts after a write that changed them. Not in the write's transaction (Cosmos DB for
   * MongoDB has none across collections): a crash between the two leaves one order miscounted until
   * the counts are rebuilt (delete the orderCounts document; the next overview counts again). No
   * document yet: nothing to move, the next overview counts.
   */
  private async count(change: Partial<Record<OrderStatus, number>>): Promise<void> {
    await withThrottlingRetry(() => this.counts.updateOne({ _id: COUNTS_ID }, { $inc: change }));
  }

  async list(query: OrderListQuery): Promise<Page<Order>> {
    const { filter, sort } = orderListQuery(query);
    const documents = await withThrottlingRetry(() => this.orders.find(filter).sort(sort).limit(query.limit + 1).toArray());
    return pageOf(documents, query.limit, (document) => publicOrder(toOrder(document)), (document) => [document.createdAt, document._id]);
  }

  async listReceived(created: CreatedBetween, limit: number): Promise<StoredOrder[]> {
    const documents = await withThrottlingRetry(() =>
      this.orders
        .find(receivedBetween(created))
        .sort({ status: 1, createdAt: 1, _id: 1 })
        .limit(limit)
        .toArray(),
    );
    return documents.map(toOrder);
  }

  async countReceived(created: CreatedBetween, limit: number): Promise<number> {
    return withThrottlingRetry(() => this.orders.countDocuments(receivedBetween(created), { limit }));
  }

  async listSweepDue(now: Date, limit: number): Promise<StoredOrder[]> {
    const documents = await withThrottlingRetry(() =>
      this.orders.find({ sweepAt: { $lte: now.toISOString() } }).sort({ sweepAt: 1 }).limit(limit).toArray(),
    );
    return documents.map(toOrder);
  }

  async countExpiredHolds(limit: number): Promise<number> {
    return withThrottlingRetry(() => this.orders.countDocuments({ status: 'awaiting_payment', holdReleased: true }, { limit }));
  }

  async countByStatus(): Promise<Record<OrderStatus, number>> {
    const kept = (await withThrottlingRetry(() => this.counts.findOne({ _id: COUNTS_ID }))) ?? (await this.recount());
    return Object.fromEntries(ORDER_STATUSES.map((status) => [status, kept[status] ?? 0])) as Record<OrderStatus, number>;
  }

  /**
   * The first overview of a deployment from before the counts (or after they were deleted) counts
   * every order once and keeps the result. An order written during that count may be left out;
   * whichever instance stores its count first wins.
   */
  private async recount(): Promise<OrderCounts> {
    const groups = await withThrottlingRetry(() =>
      this.orders.aggregate<{ _id: OrderStatus; n: number }>([{ $group: { _id: '$status', n: { $sum: 1 } } }]).toArray(),
    );
    const counted: OrderCounts = { _id: COUNTS_ID, ...Object.fromEntries(groups.map((group) => [group._id, group.n])) };
    try {
      await withThrottlingRetry(() => this.counts.insertOne(counted));
      return counted;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return (await withThrottlingRetry(() => this.counts.findOne({ _id: COUNTS_ID }))) ?? counted;
    }
  }

  /**
   * Counted here from the creation times alone, not grouped by the server: FerretDB has no
   * string operator ($substrBytes) in $group, and the overview asks for one hour's orders.
   */
  async countPerMinute(since: Date): Promise<Array<{ minute: string; count: number }>> {
    const documents = await withThrottlingRetry(() =>
      this.orders.find({ createdAt: { $gte: since.toISOString() } }, { projection: { _id: 0, createdAt: 1 } }).toArray(),
    );
    const counts = new Map<string, number>();
    for (const { createdAt } of documents) {
      const minute = createdAt.slice(0, 16);
      counts.set(minute, (counts.get(minute) ?? 0) + 1);
    }
    return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([minute, count]) => ({ minute, count }));
  }

  async ping(): Promise<void> {
    await this.orders.db.command({ ping: 1 });
  }
}
