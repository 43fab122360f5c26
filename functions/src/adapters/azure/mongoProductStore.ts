import type { Collection, Db } from 'mongodb';
import { MAX_STOCK, type Product, type ProductContentDraft } from '../../domain/product.js';
import type { Clock, ProductPage, ProductQuery, ProductStore, ReplaceResult, Reservation, RestockResult, StockRequest } from '../../ports.js';
import { pageOf } from '../cursor.js';
import { searchKeys } from '../../domain/search.js';
import { isDuplicateKey } from './mongo.js';
import { DEFAULT_SORT, SORT_ORDER } from '../../domain/catalogSort.js';
import { allOf, forgetHoldsUpdate, heldOrdersQuery, holdsQuery, productFilter, productListQuery, releaseOperations, reserveOperations, SORT_FIELD, type ProductDocument } from './mongoQueries.js';
import { withThrottlingRetry } from './throttling.js';

function toProduct({ _id, nameKey: _key, searchKeys: _searchKeys, holds: _holds, createdAt, ...fields }: ProductDocument): Product {
  return { id: _id, ...fields, createdAt: createdAt ?? fields.updatedAt };
}

function toDocument({ id, ...fields }: Product): ProductDocument {
  return { _id: id, nameKey: fields.name.toLowerCase(), searchKeys: searchKeys(fields), ...fields };
}

/** The catalog and the store's own reads never need a product's search keys. */
const WITHOUT_HOLDS = { projection: { holds: 0, searchKeys: 0 } } as const;
/** The catalog never shows drafts. */
const CATALOG = { projection: { holds: 0, searchKeys: 0, draft: 0 } } as const;
/** Documents given their search keys per bulk write when a store opens. */
const FILING_BATCH = 100;

export class MongoProductStore implements ProductStore {
  private readonly products: Collection<ProductDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.products = db.collection<ProductDocument>('products');
  }

  /** The page and the count of all matches in parallel: one round trip's wait, not two. */
  async list(query: ProductQuery): Promise<ProductPage> {
    const listed = productListQuery(query);
    const matching = productFilter(query);
    if (listed === 'nothing' || matching === 'nothing') return { items: [], nextCursor: null, total: 0 };
    const [documents, total] = await Promise.all([
      withThrottlingRetry(() => this.products.find(listed.filter, CATALOG).sort(listed.sort).limit(query.limit + 1).toArray()),
      withThrottlingRetry(() => this.products.countDocuments(allOf(matching))),
    ]);
    const field = SORT_FIELD[SORT_ORDER[query.sort ?? DEFAULT_SORT].by];
    // A document older versions wrote has no createdAt until fileUnindexedProducts runs: its updatedAt stands in, as toProduct's does.
    return { ...pageOf(documents, query.limit, toProduct, (document) => [String(document[field] ?? document.updatedAt), document._id]), total };
  }

  /**
   * Gives the products older versions wrote their search keys and the time they were added (their
   * last change's, the best there is), so the whole catalog stays searchable and sortable: run
   * once when an instance connects. Only documents still without one are written, and only the
   * field still missing, so an edit meanwhile keeps its own.
   */
  async fileUnindexedProducts(): Promise<number> {
    const missing = { $or: [{ searchKeys: { $exists: false } }, { createdAt: { $exists: false } }] };
    const unfiled = await withThrottlingRetry(() =>
      this.products.find(missing, { projection: { name: 1, description: 1, tags: 1, searchKeys: 1, createdAt: 1, updatedAt: 1 } }).toArray(),
    );
    for (let start = 0; start < unfiled.length; start += FILING_BATCH) {
      const operations = unfiled.slice(start, start + FILING_BATCH).flatMap((document) => [
        ...(document.searchKeys ? [] : [{ updateOne: { filter: { _id: document._id, searchKeys: { $exists: false } }, update: { $set: { searchKeys: searchKeys(document) } } } }]),
        ...(document.createdAt ? [] : [{ updateOne: { filter: { _id: document._id, createdAt: { $exists: false } }, update: { $set: { createdAt: document.updatedAt } } } }]),
      ]);
      await withThrottlingRetry(() => this.products.bulkWrite(operations, { ordered: true }));
    }
    return unfiled.length;
  }

  async tags(): Promise<string[]> {
    const tags = await withThrottlingRetry(() => this.products.distinct('tags'));
    // distinct's order is unspecified.
    return tags.sort();
  }

  async get(id: string): Promise<Product | null> {
    const document = await withThrottlingRetry(() => this.products.findOne({ _id: id }, WITHOUT_HOLDS));
    return document ? toProduct(document) : null;
  }

  async getMany(ids: readonly string[]): Promise<Product[]> {
    if (ids.length === 0) return [];
    const documents = await withThrottlingRetry(() => this.products.find({ _id: { $in: [...ids] } }, WITHOUT_HOLDS).toArray());
    return documents.map(toProduct);
  }

  async create(product: Product): Promise<boolean> {
    try {
      await withThrottlingRetry(() => this.products.insertOne(toDocument(product)));
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  async replace(product: Product, expectedVersion: number): Promise<ReplaceResult<Product>> {
    // The draft is not the editor's either: saveDraft/clearDraft own it.
    const { _id, draft: _draft, ...fields } = toDocument(product);
    // $set, not a whole-document replace: the holds belong to the orders, not to the editor.
    const result = await withThrottlingRetry(() => this.products.updateOne({ _id, version: expectedVersion }, { $set: fields }));
    if (result.matchedCount === 1) return { outcome: 'replaced', value: product };
    return { outcome: (await this.get(product.id)) ? 'stale' : 'missing' };
  }

  async saveDraft(id: string, draft: ProductContentDraft): Promise<boolean> {
    return (await withThrottlingRetry(() => this.products.updateOne({ _id: id }, { $set: { draft } }))).matchedCount === 1;
  }

  async clearDraft(id: string): Promise<boolean> {
    const result = await withThrottlingRetry(() => this.products.updateOne({ _id: id, draft: { $exists: true } }, { $unset: { draft: '' } }));
    return result.modifiedCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await withThrottlingRetry(() => this.products.deleteOne({ _id: id }))).deletedCount === 1;
  }

  /**
   * One ordered bulk write, one round trip, when every item is taken now. Otherwise one read
   * more tells the repeats (held already) from the short ones. Not all or nothing: a short order
   * may keep what it took until releaseStock, which the makeline calls once it has rejected it.
   */
  async reserveStock(orderId: string, items: readonly StockRequest[]): Promise<Reservation> {
    const operations = reserveOperations(orderId, items, this.clock.now().toISOString());
    const result = await withThrottlingRetry(() => this.products.bulkWrite(operations, { ordered: true }));
    if (result.modifiedCount === items.length) return { outcome: 'reserved' };
    const held = await this.holds(orderId, items.map((item) => item.productId));
    const short = items.find((item) => !((held.get(item.productId) ?? 0) > 0));
    return short ? { outcome: 'insufficient', productId: short.productId } : { outcome: 'reserved' };
  }

  /** Two round trips however many products: read the holds, then one bulk write giving them back. */
  async releaseStock(orderId: string, productIds: readonly string[]): Promise<void> {
    const held = await this.holds(orderId, productIds);
    if (held.size === 0) return;
    const operations = releaseOperations(orderId, held, this.clock.now().toISOString());
    await withThrottlingRetry(() => this.products.bulkWrite(operations, { ordered: true }));
  }

  async forgetHolds(orderId: string, productIds: readonly string[]): Promise<void> {
    const { filter, update } = forgetHoldsUpdate(orderId, productIds);
    await withThrottlingRetry(() => this.products.updateMany(filter, update));
  }

  /**
   * One query, holds alone projected. `holds` stays behind as {} once a product's last hold goes,
   * so this matches every product that ever had one; an empty map adds no id.
   */
  async heldOrderIds(): Promise<string[]> {
    const { filter, options } = heldOrdersQuery();
    const documents = await withThrottlingRetry(() => this.products.find(filter, options).toArray());
    return [...new Set(documents.flatMap((document) => Object.keys(document.holds ?? {})))];
  }

  async lowStock(below: number, limit: number): Promise<Product[]> {
    const documents = await withThrottlingRetry(() =>
      this.products.find({ stock: { $lt: below } }, CATALOG).sort({ stock: 1, nameKey: 1, _id: 1 }).limit(limit).toArray(),
    );
    return documents.map(toProduct);
  }

  /**
   * $inc in one conditional update: a reservation's own $inc on the same document is never lost.
   * No projection: FerretDB refuses one on findAndModify, and toProduct drops the holds anyway.
   */
  async restock(id: string, quantity: number): Promise<RestockResult> {
    const document = await withThrottlingRetry(() =>
      this.products.findOneAndUpdate(
        { _id: id, stock: { $lte: MAX_STOCK - quantity } },
        { $inc: { stock: quantity, version: 1 }, $set: { updatedAt: this.clock.now().toISOString() } },
        { returnDocument: 'after' },
      ),
    );
    if (document) return { outcome: 'restocked', value: toProduct(document) };
    return { outcome: (await this.get(id)) ? 'too_much' : 'missing' };
  }

  async ping(): Promise<void> {
    await this.products.db.command({ ping: 1 });
  }

  /** The quantity this order holds of each of these products that it holds any of. */
  private async holds(orderId: string, productIds: readonly string[]): Promise<Map<string, number>> {
    const { filter, options } = holdsQuery(orderId, productIds);
    const documents = await withThrottlingRetry(() => this.products.find(filter, options).toArray());
    const held = new Map<string, number>();
    for (const document of documents) {
      const quantity = document.holds?.[orderId];
      if (quantity !== undefined) held.set(document._id, quantity);
    }
    return held;
  }
}
