import type { AnyBulkWriteOperation, Filter, Sort, UpdateFilter } from 'mongodb';
import { cursorKey } from '../cursor.js';
import { queryKeys } from '../../domain/search.js';
import type { OrderListQuery, ProductQuery, StockRequest } from '../../ports.js';
import type { Product } from '../../domain/product.js';
import type { StoredOrder } from '../../domain/order.js';

/** A product as stored: the domain product with its id as _id, a sort key and the stock holds. */
export type ProductDocument = Omit<Product, 'id'> & {
  _id: string;
  /** Lower-case name: the catalog's sort key. */
  nameKey: string;
  /**
   * The keys a search finds the product by (domain/search.ts), in a multikey index: each search
   * word is one equality on it. Missing only on documents older versions wrote, until
   * fileUnindexedProducts gives them theirs.
   */
  searchKeys?: string[];
  /**
   * Stock held per live order: the quantity. Makes repeated reservations take nothing twice;
   * forgotten once the order is final, so the document does not grow with every order ever placed.
   */
  holds?: Record<string, number>;
};

/**
 * An order as stored: the stored order itself, keyed by its orderId, with its owner's key at the
 * top level (an owned order only) for the by_owner_created index.
 */
export type OrderDocument = StoredOrder & { _id: string; ownerKey?: string; sweepAt?: string };

/**
 * The search and tag conditions of a catalog query, without its cursor: what the page and its
 * total share. One equality on searchKeys per word and tag, which the search_keys index serves;
 * 'nothing' for a query without a word in it.
 */
export function productFilter(query: ProductQuery): Filter<ProductDocument>[] | 'nothing' {
  const keys = queryKeys(query);
  if (keys === 'nothing') return keys;
  return keys.map((key) => ({ searchKeys: key }));
}

export function productListQuery(query: ProductQuery): { filter: Filter<ProductDocument>; sort: Sort } | 'nothing' {
  const filter = productFilter(query);
  if (filter === 'nothing') return filter;
  const and = [...filter];
  const after = cursorKey(query.cursor, 2);
  if (after) and.push({ $or: [{ nameKey: { $gt: after[0] } }, { nameKey: after[0], _id: { $gt: after[1] } }] });
  return { filter: allOf(and), sort: { nameKey: 1, _id: 1 } };
}

export const allOf = (and: Filter<ProductDocument>[]): Filter<ProductDocument> => (and.length ? { $and: and } : {});

export function orderListQuery(query: OrderListQuery): { filter: Filter<OrderDocument>; sort: Sort } {
  const and: Filter<OrderDocument>[] = [];
  if (query.status) and.push({ status: query.status });
  if (query.ownerKey !== undefined) and.push({ ownerKey: query.ownerKey });
  if (query.number) and.push({ number: query.number });
  if (query.created) and.push({ createdAt: { $gte: query.created.after.toISOString(), $lt: query.created.before.toISOString() } });
  const after = cursorKey(query.cursor, 2);
  const direction = query.oldestFirst ? 1 : -1;
  if (after) {
    const beyond = query.oldestFirst ? '$gt' : '$lt';
    and.push({ $or: [{ createdAt: { [beyond]: after[0] } }, { createdAt: after[0], _id: { [beyond]: after[1] } }] });
  }
  // One account's orders sort on the whole by_owner_created index, the key it filters on first.
  const sort: Sort = query.ownerKey !== undefined
    ? { ownerKey: direction, createdAt: direction, _id: direction }
    : { createdAt: direction, _id: direction };
  return { filter: and.length ? { $and: and } : {}, sort };
}

const holdOf = (orderId: string) => `holds.${orderId}`;

/**
 * One conditional update per item, for one ordered bulk write: each takes stock only if this
 * order holds none of that product yet and enough is left. An item that is short (or already
 * held) simply matches nothing, so the others still run; retrying the whole write is harmless.
 */
export function reserveOperations(orderId: string, items: readonly StockRequest[], now: string): AnyBulkWriteOperation<ProductDocument>[] {
  return items.map(({ productId, quantity }) => ({
    updateOne: {
      filter: { _id: productId, stock: { $gte: quantity }, [holdOf(orderId)]: { $exists: false } },
      update: { $inc: { stock: -quantity, version: 1 }, $set: { [holdOf(orderId)]: quantity, updatedAt: now } },
    },
  }));
}

/** This order's hold on each of these products, and nothing else of them. */
export function holdsQuery(orderId: string, productIds: readonly string[]) {
  return {
    filter: { _id: { $in: [...productIds] } } as Filter<ProductDocument>,
    options: { projection: { [holdOf(orderId)]: 1 } },
  };
}

/**
 * Gives back exactly the quantity read as held and forgets the hold. An operation matches
 * nothing when another release or forgetHolds removed that hold first: a hold only ever goes
 * from absent to a quantity and back, so it is settled already.
 */
export function releaseOperations(orderId: string, held: ReadonlyMap<string, number>, now: string): AnyBulkWriteOperation<ProductDocument>[] {
  return [...held].map(([productId, quantity]) => ({
    updateOne: {
      filter: { _id: productId, [holdOf(orderId)]: quantity },
      // 0 is a tombstone left by older versions: nothing to give back.
      update: quantity > 0
        ? { $inc: { stock: quantity, version: 1 }, $set: { updatedAt: now }, $unset: { [holdOf(orderId)]: '' } }
        : { $unset: { [holdOf(orderId)]: '' } },
    },
  }));
}

/** Forgets the order's holds on these products; the stock they took stays taken. */
export function forgetHoldsUpdate(orderId: string, productIds: readonly string[]) {
  return {
    filter: { _id: { $in: [...productIds] }, [holdOf(orderId)]: { $exists: true } } as Filter<ProductDocument>,
    update: { $unset: { [holdOf(orderId)]: '' } } as UpdateFilter<ProductDocument>,
  };
}

/** The products holding stock for some order, with nothing of them but their holds. */
export function heldOrdersQuery() {
  return {
    filter: { holds: { $exists: true } } as Filter<ProductDocument>,
    options: { projection: { holds: 1 } },
  };
}
