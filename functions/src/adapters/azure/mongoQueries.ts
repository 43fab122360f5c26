import type { Filter, Sort } from 'mongodb';
import { cursorKey } from '../cursor.js';
import type { OrderListQuery, ProductQuery } from '../../ports.js';
import type { Product } from '../../domain/product.js';
import type { StoredOrder } from '../../domain/order.js';

/** A product as stored: the domain product with its id as _id, a sort key and the stock holds. */
export type ProductDocument = Omit<Product, 'id'> & {
  _id: string;
  /** Lower-case name: the catalog's sort key. */
  nameKey: string;
  /** Stock held per order: the quantity, or 0 once given back. Makes reservations idempotent. */
  holds?: Record<string, number>;
};

/** An order as stored: the stored order itself, keyed by its orderId. */
export type OrderDocument = StoredOrder & { _id: string };

const escapeRegex = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function productListQuery(query: ProductQuery): { filter: Filter<ProductDocument>; sort: Sort } {
  const and: Filter<ProductDocument>[] = [];
  if (query.q) {
    const pattern = { $regex: escapeRegex(query.q), $options: 'i' };
    and.push({ $or: [{ name: pattern }, { tags: pattern }] });
  }
  if (query.tag) and.push({ tags: query.tag });
  const after = cursorKey(query.cursor, 2);
  if (after) and.push({ $or: [{ nameKey: { $gt: after[0] } }, { nameKey: after[0], _id: { $gt: after[1] } }] });
  return { filter: and.length ? { $and: and } : {}, sort: { nameKey: 1, _id: 1 } };
}

export function orderListQuery(query: OrderListQuery): { filter: Filter<OrderDocument>; sort: Sort } {
  const and: Filter<OrderDocument>[] = [];
  if (query.status) and.push({ status: query.status });
  const after = cursorKey(query.cursor, 2);
  const direction = query.oldestFirst ? 1 : -1;
  if (after) {
    const beyond = query.oldestFirst ? '$gt' : '$lt';
    and.push({ $or: [{ createdAt: { [beyond]: after[0] } }, { createdAt: after[0], _id: { [beyond]: after[1] } }] });
  }
  return { filter: and.length ? { $and: and } : {}, sort: { createdAt: direction, _id: direction } };
}

/** Takes stock for an order only if this order holds none of it yet and enough is left. */
export function reserveUpdate(orderId: string, productId: string, quantity: number, now: string) {
  return {
    filter: { _id: productId, stock: { $gte: quantity }, [`holds.${orderId}`]: { $exists: false } } as Filter<ProductDocument>,
    update: { $inc: { stock: -quantity, version: 1 }, $set: { [`holds.${orderId}`]: quantity, updatedAt: now } },
  };
}

/** Gives back exactly the held quantity, once: the filter fails if another release got there first. */
export function releaseUpdate(orderId: string, productId: string, held: number, now: string) {
  if (held > 0) {
    return {
      filter: { _id: productId, [`holds.${orderId}`]: held } as Filter<ProductDocument>,
      update: { $inc: { stock: held, version: 1 }, $set: { [`holds.${orderId}`]: 0, updatedAt: now } },
    };
  }
  // Nothing was taken: leave a tombstone so a late duplicate reservation cannot take it after this.
  return {
    filter: { _id: productId, [`holds.${orderId}`]: { $exists: false } } as Filter<ProductDocument>,
    update: { $set: { [`holds.${orderId}`]: 0 } },
  };
}
