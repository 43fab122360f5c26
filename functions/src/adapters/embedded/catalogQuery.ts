import type { Product } from '../../domain/product.js';
import type { Page, ProductQuery } from '../../ports.js';
import type { Statements } from './database.js';
import { catalogCursor, pageOf } from '../cursor.js';
import { queryKeys } from '../../domain/search.js';
import { DEFAULT_SORT, SORT_ORDER, type CatalogSort } from '../../domain/catalogSort.js';

export interface ProductRow {
  id: string;
  name: string;
  sort_key: string;
  description: string;
  price_cents: number;
  image_url: string;
  tags: string;
  stock: number;
  version: number;
  created_at: string;
  updated_at: string;
  draft?: string | null;
}

/** Without its draft, as the catalog lists it. */
export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    priceCents: row.price_cents,
    imageUrl: row.image_url,
    tags: JSON.parse(row.tags) as string[],
    stock: row.stock,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The column each catalog order sorts on (domain/catalogSort.ts), in products and in product_search. */
const SORT_COLUMN = { name: 'sort_key', price: 'price_cents', created: 'created_at' } as const;

/** Where a page of this order ended, as a cursor carries it: the sort column's value (as text) and the id. */
function sortKeyOf(row: ProductRow, sort: CatalogSort): [string, string] {
  return [String(row[SORT_COLUMN[SORT_ORDER[sort].by]]), row.id];
}

/**
 * The SQL of a catalog query's page and count. Without a search or tag, the products in the
 * sort's order, read along its index (forwards, or backwards for highest or newest first). With
 * them, the index rows of each of its keys (search words and tag, domain/search.ts) in the sort's
 * order, merged: every key's rows are in that order in an index already, so SQLite intersects them
 * in one pass (MERGE INTERSECT), from the cursor on, and stops once it has a page, reading those
 * products by id and no others. CROSS JOIN keeps SQLite from walking the products instead; the
 * page is ordered again outside, at most limit + 1 rows, as SQLite keeps a subquery's order only
 * by implementation.
 */
function catalogSql(query: ProductQuery, after: [string | number, string] | null): { page: string; count: string; params: Record<string, unknown> } | 'nothing' {
  const keys = queryKeys(query);
  if (keys === 'nothing') return 'nothing';
  const { by, descending } = SORT_ORDER[query.sort ?? DEFAULT_SORT];
  const column = SORT_COLUMN[by];
  const [direction, beyond] = descending ? [' DESC', '<'] : ['', '>'];
  const params: Record<string, unknown> = { limit: query.limit + 1, ...Object.fromEntries(keys.map((key, n) => [`key${n}`, key])) };
  if (after) [params.afterKey, params.afterId] = after;
  if (keys.length === 0) {
    const from = after ? `products WHERE (${column}, id) ${beyond} (@afterKey, @afterId)` : 'products';
    return { page: `SELECT * FROM ${from} ORDER BY ${column}${direction}, id${direction} LIMIT @limit`, count: 'SELECT COUNT(*) AS total FROM products', params };
  }
  const matches = (sortColumn: string, fromCursor: boolean) => keys
    .map((_, n) => `SELECT ${sortColumn}, product_id FROM product_search WHERE key = @key${n}${fromCursor ? ` AND (${sortColumn}, product_id) ${beyond} (@afterKey, @afterId)` : ''}`)
    .join(' INTERSECT ');
  return {
    page: `SELECT products.* FROM (${matches(column, after !== null)} ORDER BY 1${direction}, 2${direction} LIMIT @limit) AS matches
           CROSS JOIN products ON products.id = matches.product_id
           ORDER BY matches.${column}${direction}, matches.product_id${direction}`,
    count: `SELECT COUNT(*) AS total FROM (${matches('sort_key', false)})`,
    params,
  };
}

export interface CatalogRead {
  page: Page<Product>;
  /** How many products match the query's filter, when asked for (every page of one search shares it). */
  total?: number;
}

/** How many products match the query's filter: its count's SQL has no cursor, as every page of a query shares it. */
function countMatches(statements: Statements, query: ProductQuery): number {
  const sql = catalogSql(query, null);
  return sql === 'nothing' ? 0 : statements.statement<[Record<string, unknown>], { total: number }>(sql.count).get(sql.params)!.total;
}

/** One catalog page, and the count of its matches when `withTotal`; an unknown cursor throws as the API's 400. */
export function readCatalog(statements: Statements, query: ProductQuery, withTotal: boolean): CatalogRead {
  const sort = query.sort ?? DEFAULT_SORT;
  const sql = catalogSql(query, catalogCursor(query.cursor, sort));
  const page = sql === 'nothing'
    ? { items: [], nextCursor: null }
    : pageOf(statements.statement<[Record<string, unknown>], ProductRow>(sql.page).all(sql.params), query.limit, toProduct, (row) => sortKeyOf(row, sort));
  return withTotal ? { page, total: countMatches(statements, query) } : { page };
}
