import { MAX_STOCK, type Product, type ProductContentDraft } from '../../domain/product.js';
import type { ProductPage, ProductQuery, ProductStore, ReplaceResult, Reservation, RestockResult, StockRequest } from '../../ports.js';
import type { Clock } from '../../ports.js';
import type { SqliteFile } from './database.js';
import { catalogCursor } from '../cursor.js';
import { DEFAULT_SORT } from '../../domain/catalogSort.js';
import { fileProduct, unfileProduct } from './searchIndex.js';
import { ByteBoundedCache } from './byteBoundedCache.js';
import { toProduct, type ProductRow } from './catalogQuery.js';
import { readsOnTheFile, type CatalogReads } from './catalogReads.js';

/** With its draft, as get() returns it. */
function toProductWithDraft(row: ProductRow): Product {
  const product = toProduct(row);
  if (row.draft) product.draft = JSON.parse(row.draft) as ProductContentDraft;
  return product;
}

function toRow(product: Product): Omit<ProductRow, 'draft'> {
  return {
    id: product.id,
    name: product.name,
    sort_key: product.name.toLowerCase(),
    description: product.description,
    price_cents: product.priceCents,
    image_url: product.imageUrl,
    tags: JSON.stringify(product.tags),
    stock: product.stock,
    version: product.version,
    created_at: product.createdAt,
    updated_at: product.updatedAt,
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Keys remembered as asked once, at most: a few hundred kilobytes of keys. */
const MAX_ASKED_ONCE = 4096;

/** What the tests and tools that open a store file of their own cache: config.ts's default. */
const DEFAULT_CACHE_BYTES = 16 * 1024 * 1024;

/**
 * What a cached page is counted as taking: its JSON's length twice over, as V8 keeps most of these
 * strings in one byte per character and the objects around them take about as much again
 * (16 MB so counted was 11.6 MB of live heap; docs/architecture.md has what RSS does besides).
 */
const bytesOfPage = (key: string, page: ProductPage) => 2 * (key.length + JSON.stringify(page).length);

export class SqliteProductStore implements ProductStore {
  /**
   * Catalog pages by query and match counts by filter, valid while no product changed (the catalog
   * is read far more than written), in a cache bounded in bytes so that a crawl of distinct
   * pages or searches cannot grow the process; the tag list beside them.
   */
  private readonly cache: ByteBoundedCache<Readonly<ProductPage> | number>;
  /**
   * Pages asked for once since the cache was last dropped: a page is cached when asked a second
   * time. A crawl of distinct pages then caches none of them, so it neither pushes out the pages
   * shoppers keep asking for nor leaves V8 holding evicted pages in its old generation (a page
   * that lived in the cache dies old, and old garbage waits for a major collection).
   */
  private readonly askedOnce = new Set<string>();
  /** Counts the times the cache was dropped: a read that began before a drop is not cached. */
  private generation = 0;
  private tagList: readonly string[] | undefined;
  private cachedAt = '';

  constructor(
    private readonly file: SqliteFile,
    private readonly clock: Clock,
    cacheBytes = DEFAULT_CACHE_BYTES,
    private readonly reads: CatalogReads = readsOnTheFile(file),
  ) {
    this.cache = new ByteBoundedCache(cacheBytes);
  }

  /**
   * Drops what is cached once another connection has committed (data_version moves); product
   * writes here drop it themselves. A prepared statement: db.pragma() prepares one per call,
   * which took a sixth of the host thread's time serving the catalog.
   */
  private dropStaleCache(): void {
    const version = String(this.file.statement<[], { data_version: number }>('PRAGMA data_version').get()!.data_version);
    if (version === this.cachedAt) return;
    this.cachedAt = version;
    this.forgetCache();
  }

  private rememberAsked(key: string): void {
    if (this.askedOnce.size >= MAX_ASKED_ONCE) this.askedOnce.clear();
    this.askedOnce.add(key);
  }

  private forgetCache(): void {
    this.generation++;
    this.cache.clear();
    this.askedOnce.clear();
    this.tagList = undefined;
  }

  async tags(): Promise<string[]> {
    this.dropStaleCache();
    this.tagList ??= Object.freeze(
      this.file
        .statement<[], { tag: string }>('SELECT DISTINCT value AS tag FROM products, json_each(products.tags) ORDER BY tag')
        .all()
        .map((row) => row.tag),
    );
    return [...this.tagList];
  }

  /**
   * A cached page at once; any other is read where `reads` reads (catalogReads.ts: on a thread of
   * its own on the local host), its count only when no earlier page of the query cached it. A page
   * read while a write landed is answered but not cached: it may predate the write.
   */
  async list(query: ProductQuery): Promise<ProductPage> {
    this.dropStaleCache();
    const key = JSON.stringify(['page', query.q, query.tag, query.sort ?? DEFAULT_SORT, query.limit, query.cursor]);
    const cached = this.cache.get(key) as Readonly<ProductPage> | undefined;
    if (cached) return cached;
    catalogCursor(query.cursor, query.sort ?? DEFAULT_SORT); // an unknown cursor is the caller's 400, before any read
    const totalKey = JSON.stringify(['total', query.q, query.tag]);
    const knownTotal = this.cache.get(totalKey) as number | undefined;
    const generation = this.generation;
    const read = await this.reads.read(query, knownTotal === undefined);
    const page: ProductPage = { ...read.page, total: read.total ?? knownTotal! };
    this.dropStaleCache();
    if (generation !== this.generation) return page;
    if (read.total !== undefined) this.cache.set(totalKey, read.total, 2 * totalKey.length + 8);
    // Frozen only once cached: the pipeline keeps a frozen body's JSON in a WeakMap, which would
    // take the JSON of every page asked once into the old generation (docs/architecture.md).
    if (!this.askedOnce.has(key)) {
      this.rememberAsked(key);
      return page;
    }
    this.cache.set(key, deepFreeze(page), bytesOfPage(key, page));
    return page;
  }

  async get(id: string): Promise<Product | null> {
    const row = this.file.statement<[string], ProductRow>('SELECT * FROM products WHERE id = ?').get(id);
    return row ? toProductWithDraft(row) : null;
  }

  async getMany(ids: readonly string[]): Promise<Product[]> {
    if (ids.length === 0) return [];
    const rows = this.file
      .statement<string[], ProductRow>(`SELECT * FROM products WHERE id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids);
    return rows.map(toProductWithDraft);
  }

  async create(product: Product): Promise<boolean> {
    return this.changeProducts(() => {
      const created = this.file
        .statement(
          `INSERT INTO products (id, name, sort_key, description, price_cents, image_url, tags, stock, version, created_at, updated_at)
           VALUES (@id, @name, @sort_key, @description, @price_cents, @image_url, @tags, @stock, @version, @created_at, @updated_at)
           ON CONFLICT (id) DO NOTHING`,
        )
        .run(toRow(product)).changes === 1;
      if (created) this.fileInSearchIndex(product);
      return created;
    });
  }

  async replace(product: Product, expectedVersion: number): Promise<ReplaceResult<Product>> {
    const changes = await this.changeProducts(() => {
      const replaced = this.file
        .statement(
          `UPDATE products SET name = @name, sort_key = @sort_key, description = @description, price_cents = @price_cents,
             image_url = @image_url, tags = @tags, stock = @stock, version = @version, updated_at = @updated_at
           WHERE id = @id AND version = @expectedVersion`,
        )
        .run({ ...toRow(product), expectedVersion }).changes;
      if (replaced === 1) this.fileInSearchIndex(product);
      return replaced;
    });
    if (changes === 1) return { outcome: 'replaced', value: product };
    return { outcome: (await this.get(product.id)) ? 'stale' : 'missing' };
  }

  async saveDraft(id: string, draft: ProductContentDraft): Promise<boolean> {
    const json = JSON.stringify(draft);
    return this.changeProducts(() => this.file.statement('UPDATE products SET draft = ? WHERE id = ?').run(json, id).changes === 1);
  }

  async clearDraft(id: string): Promise<boolean> {
    return this.changeProducts(
      () => this.file.statement('UPDATE products SET draft = NULL WHERE id = ? AND draft IS NOT NULL').run(id).changes === 1,
    );
  }

  async delete(id: string): Promise<boolean> {
    return this.changeProducts(() => {
      unfileProduct(this.prepare, id);
      return this.file.statement('DELETE FROM products WHERE id = ?').run(id).changes === 1;
    });
  }

  /** All or nothing, in one transaction: an order that is short holds nothing afterwards. */
  async reserveStock(orderId: string, items: readonly StockRequest[]): Promise<Reservation> {
    return this.changeProducts((): Reservation => {
      const held = new Set(
        this.file
          .statement<[string], { product_id: string }>('SELECT product_id FROM stock_reservations WHERE order_id = ?')
          .all(orderId)
          .map((row) => row.product_id),
      );
      const toTake = items.filter((item) => !held.has(item.productId));
      const stockOf = this.file.statement<[string], { stock: number }>('SELECT stock FROM products WHERE id = ?');
      const short = toTake.find((item) => (stockOf.get(item.productId)?.stock ?? 0) < item.quantity);
      if (short) return { outcome: 'insufficient', productId: short.productId };
      const now = this.clock.now().toISOString();
      for (const { productId, quantity } of toTake) {
        this.file
          .statement('UPDATE products SET stock = stock - ?, version = version + 1, updated_at = ? WHERE id = ?')
          .run(quantity, now, productId);
        this.file
          .statement(`INSERT INTO stock_reservations (order_id, product_id, quantity, state) VALUES (?, ?, ?, 'reserved')`)
          .run(orderId, productId, quantity);
      }
      return { outcome: 'reserved' };
    });
  }

  async releaseStock(orderId: string, productIds: readonly string[]): Promise<void> {
    await this.changeProducts(() => {
      const now = this.clock.now().toISOString();
      for (const productId of productIds) {
        const quantity = this.dropHold(orderId, productId);
        if (quantity === undefined) continue;
        this.file
          .statement('UPDATE products SET stock = stock + ?, version = version + 1, updated_at = ? WHERE id = ?')
          .run(quantity, now, productId);
      }
    });
  }

  async forgetHolds(orderId: string, productIds: readonly string[]): Promise<void> {
    await this.file.write(() => {
      for (const productId of productIds) this.dropHold(orderId, productId);
    });
  }

  /** Every row is a hold: state is always 'reserved' now, the 'released' rows of older files go when the file opens (schema.ts). */
  async heldOrderIds(): Promise<string[]> {
    return this.file
      .statement<[], { order_id: string }>('SELECT DISTINCT order_id FROM stock_reservations')
      .all()
      .map((row) => row.order_id);
  }

  async lowStock(below: number, limit: number): Promise<Product[]> {
    return this.file
      .statement<[number, number], ProductRow>('SELECT * FROM products WHERE stock < ? ORDER BY stock, sort_key, id LIMIT ?')
      .all(below, limit)
      .map(toProduct);
  }

  async restock(id: string, quantity: number): Promise<RestockResult> {
    const row = await this.changeProducts(() => this.file
      .statement<[Record<string, unknown>], ProductRow>(
        `UPDATE products SET stock = stock + @quantity, version = version + 1, updated_at = @now
         WHERE id = @id AND stock <= @most - @quantity RETURNING *`,
      )
      .get({ quantity, now: this.clock.now().toISOString(), id, most: MAX_STOCK }));
    if (row) return { outcome: 'restocked', value: toProductWithDraft(row) };
    return { outcome: (await this.get(id)) ? 'too_much' : 'missing' };
  }

  async ping(): Promise<void> {
    this.file.statement('SELECT 1').get();
  }

  private readonly prepare = (sql: string) => this.file.statement(sql);

  /** Files the product in the search index under its keys (searchIndex.ts). */
  private fileInSearchIndex(product: Product): void {
    fileProduct(this.prepare, { ...product, sortKey: toRow(product).sort_key });
  }

  private changeProducts<T>(work: () => T): Promise<T> {
    return this.file.write(() => {
      this.forgetCache();
      return work();
    });
  }

  /** Removes the order's hold on the product; the quantity it held, or undefined when it held none. */
  private dropHold(orderId: string, productId: string): number | undefined {
    return this.file
      .statement<[string, string], { quantity: number }>(
        'DELETE FROM stock_reservations WHERE order_id = ? AND product_id = ? RETURNING quantity',
      )
      .get(orderId, productId)?.quantity;
  }
}
