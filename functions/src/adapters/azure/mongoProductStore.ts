import type { Collection, Db } from 'mongodb';
import type { Product, ProductContentDraft } from '../../domain/product.js';
import type { Clock, Page, ProductQuery, ProductStore, ReplaceResult, Reservation } from '../../ports.js';
import { pageOf } from '../cursor.js';
import { isDuplicateKey } from './mongo.js';
import { productListQuery, releaseUpdate, reserveUpdate, type ProductDocument } from './mongoQueries.js';
import { withThrottlingRetry as retry } from './throttling.js';

const WITHOUT_HOLDS = { projection: { holds: 0 } } as const;
/** The catalog never shows drafts. */
const CATALOG = { projection: { holds: 0, draft: 0 } } as const;

function toProduct({ _id, nameKey: _key, holds: _holds, ...fields }: ProductDocument): Product {
  return { id: _id, ...fields };
}

function toDocument({ id, ...fields }: Product): ProductDocument {
  return { _id: id, nameKey: fields.name.toLowerCase(), ...fields };
}

export class MongoProductStore implements ProductStore {
  private readonly products: Collection<ProductDocument>;

  constructor(
    db: Db,
    private readonly clock: Clock,
  ) {
    this.products = db.collection<ProductDocument>('products');
  }

  async list(query: ProductQuery): Promise<Page<Product>> {
    const { filter, sort } = productListQuery(query);
    const documents = await retry(() => this.products.find(filter, CATALOG).sort(sort).limit(query.limit + 1).toArray());
    return pageOf(documents, query.limit, toProduct, (document) => [document.nameKey, document._id]);
  }

  async tags(): Promise<string[]> {
    const tags = await retry(() => this.products.distinct('tags'));
    // distinct's order is unspecified.
    return tags.sort();
  }

  async get(id: string): Promise<Product | null> {
    const document = await retry(() => this.products.findOne({ _id: id }, WITHOUT_HOLDS));
    return document ? toProduct(document) : null;
  }

  async getMany(ids: readonly string[]): Promise<Product[]> {
    if (ids.length === 0) return [];
    const documents = await retry(() => this.products.find({ _id: { $in: [...ids] } }, WITHOUT_HOLDS).toArray());
    return documents.map(toProduct);
  }

  async create(product: Product): Promise<boolean> {
    try {
      await retry(() => this.products.insertOne(toDocument(product)));
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
    const result = await retry(() => this.products.updateOne({ _id, version: expectedVersion }, { $set: fields }));
    if (result.matchedCount === 1) return { outcome: 'replaced', value: product };
    return { outcome: (await this.get(product.id)) ? 'stale' : 'missing' };
  }

  async saveDraft(id: string, draft: ProductContentDraft): Promise<boolean> {
    return (await retry(() => this.products.updateOne({ _id: id }, { $set: { draft } }))).matchedCount === 1;
  }

  async clearDraft(id: string): Promise<boolean> {
    const result = await retry(() => this.products.updateOne({ _id: id, draft: { $exists: true } }, { $unset: { draft: '' } }));
    return result.modifiedCount === 1;
  }

  async delete(id: string): Promise<boolean> {
    return (await retry(() => this.products.deleteOne({ _id: id }))).deletedCount === 1;
  }

  async reserveStock(orderId: string, productId: string, quantity: number): Promise<Reservation> {
    const { filter, update } = reserveUpdate(orderId, productId, quantity, this.clock.now().toISOString());
    const result = await retry(() => this.products.updateOne(filter, update));
    if (result.modifiedCount === 1) return 'reserved';
    const held = await this.held(orderId, productId);
    if (held === undefined) return 'insufficient';
    return held > 0 ? 'reserved' : 'released';
  }

  async releaseStock(orderId: string, productId: string): Promise<void> {
    const held = await this.held(orderId, productId);
    if (held === 0) return;
    const { filter, update } = releaseUpdate(orderId, productId, held ?? 0, this.clock.now().toISOString());
    const result = await retry(() => this.products.updateOne(filter, update));
    // Lost a race with a reservation or another release: look again and settle from what is there now.
    if (result.matchedCount === 0 && (await retry(() => this.products.countDocuments({ _id: productId }))) > 0) {
      const now = await this.held(orderId, productId);
      if (now !== 0) await this.releaseStock(orderId, productId);
    }
  }

  async ping(): Promise<void> {
    await this.products.db.command({ ping: 1 });
  }

  private async held(orderId: string, productId: string): Promise<number | undefined> {
    const document = await retry(() =>
      this.products.findOne({ _id: productId }, { projection: { [`holds.${orderId}`]: 1 } }),
    );
    return document?.holds?.[orderId];
  }
}
