import type { Product } from '../../domain/product.js';
import type { Page, ProductQuery, ProductStore, ReplaceResult, Reservation } from '../../ports.js';
import type { Clock } from '../../ports.js';
import { encodeCursor, type Db } from './database.js';
import { cursorKey } from './cursor.js';

interface ProductRow {
  id: string;
  name: string;
  sort_key: string;
  description: string;
  price_cents: number;
  image_url: string;
  tags: string;
  stock: number;
  version: number;
  updated_at: string;
}

function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    priceCents: row.price_cents,
    imageUrl: row.image_url,
    tags: JSON.parse(row.tags) as string[],
    stock: row.stock,
    version: row.version,
    updatedAt: row.updated_at,
  };
}

function toRow(product: Product): ProductRow {
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
    updated_at: product.updatedAt,
  };
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

export class SqliteProductStore implements ProductStore {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(query: ProductQuery): Promise<Page<Product>> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit + 1 };
    if (query.q) {
      where.push(
        `(name LIKE @q ESCAPE '\\' OR EXISTS (SELECT 1 FROM json_each(products.tags) WHERE value LIKE @q ESCAPE '\\'))`,
      );
      params.q = likePattern(query.q);
    }
    if (query.tag) {
      where.push(`EXISTS (SELECT 1 FROM json_each(products.tags) WHERE value = @tag)`);
      params.tag = query.tag;
    }
    const after = cursorKey(query.cursor, 2);
    if (after) {
      where.push('(sort_key, id) > (@afterKey, @afterId)');
      [params.afterKey, params.afterId] = after;
    }
    const sql = `SELECT * FROM products ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY sort_key, id LIMIT @limit`;
    const rows = this.db.prepare<Record<string, unknown>, ProductRow>(sql).all(params);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toProduct),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.sort_key, last.id]) : null,
    };
  }

  async get(id: string): Promise<Product | null> {
    const row = this.db.prepare<[string], ProductRow>('SELECT * FROM products WHERE id = ?').get(id);
    return row ? toProduct(row) : null;
  }

  async getMany(ids: readonly string[]): Promise<Product[]> {
    if (ids.length === 0) return [];
    const rows = this.db
      .prepare<string[], ProductRow>(`SELECT * FROM products WHERE id IN (${ids.map(() => '?').join(',')})`)
      .all(...ids);
    return rows.map(toProduct);
  }

  async create(product: Product): Promise<boolean> {
    const result = this.db
      .prepare(
        `INSERT INTO products (id, name, sort_key, description, price_cents, image_url, tags, stock, version, updated_at)
         VALUES (@id, @name, @sort_key, @description, @price_cents, @image_url, @tags, @stock, @version, @updated_at)
         ON CONFLICT (id) DO NOTHING`,
      )
      .run(toRow(product));
    return result.changes === 1;
  }

  async replace(product: Product, expectedVersion: number): Promise<ReplaceResult<Product>> {
    const result = this.db
      .prepare(
        `UPDATE products SET name = @name, sort_key = @sort_key, description = @description, price_cents = @price_cents,
           image_url = @image_url, tags = @tags, stock = @stock, version = @version, updated_at = @updated_at
         WHERE id = @id AND version = @expectedVersion`,
      )
      .run({ ...toRow(product), expectedVersion });
    if (result.changes === 1) return { outcome: 'replaced', value: product };
    return { outcome: (await this.get(product.id)) ? 'stale' : 'missing' };
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM products WHERE id = ?').run(id).changes === 1;
  }

  async reserveStock(orderId: string, productId: string, quantity: number): Promise<Reservation> {
    return this.db.transaction((): Reservation => {
      const previous = this.reservationState(orderId, productId);
      if (previous) return previous;
      const taken = this.db
        .prepare(
          `UPDATE products SET stock = stock - @quantity, version = version + 1, updated_at = @now
           WHERE id = @productId AND stock >= @quantity`,
        )
        .run({ quantity, productId, now: this.clock.now().toISOString() });
      if (taken.changes === 0) return 'insufficient';
      this.db
        .prepare(`INSERT INTO stock_reservations (order_id, product_id, quantity, state) VALUES (?, ?, ?, 'reserved')`)
        .run(orderId, productId, quantity);
      return 'reserved';
    }).immediate();
  }

  async releaseStock(orderId: string, productId: string): Promise<void> {
    this.db.transaction(() => {
      const row = this.db
        .prepare<[string, string], { quantity: number; state: Reservation }>(
          'SELECT quantity, state FROM stock_reservations WHERE order_id = ? AND product_id = ?',
        )
        .get(orderId, productId);
      if (row?.state === 'released') return;
      if (row?.state === 'reserved') {
        this.db
          .prepare('UPDATE products SET stock = stock + ?, version = version + 1, updated_at = ? WHERE id = ?')
          .run(row.quantity, this.clock.now().toISOString(), productId);
      }
      // A tombstone even when nothing was taken: a late duplicate delivery must not take it after this.
      this.db
        .prepare(
          `INSERT INTO stock_reservations (order_id, product_id, quantity, state) VALUES (?, ?, 0, 'released')
           ON CONFLICT (order_id, product_id) DO UPDATE SET state = 'released'`,
        )
        .run(orderId, productId);
    }).immediate();
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  private reservationState(orderId: string, productId: string): Reservation | undefined {
    return this.db
      .prepare<[string, string], { state: Reservation }>(
        'SELECT state FROM stock_reservations WHERE order_id = ? AND product_id = ?',
      )
      .get(orderId, productId)?.state;
  }
}
