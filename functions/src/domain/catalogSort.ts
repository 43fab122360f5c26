/**
 * The orders a shopper may list the catalog in. Every order ends on the product id, so products
 * that tie (same price, same name) keep one place and a cursor never skips or repeats one; the
 * id runs the same way as the order's first field, so one ascending index serves both directions.
 */
export const CATALOG_SORTS = ['name', 'price_asc', 'price_desc', 'newest'] as const;
export type CatalogSort = (typeof CATALOG_SORTS)[number];

/** What the catalog lists in when no sort is asked for. */
export const DEFAULT_SORT: CatalogSort = 'name';

/** The product field a sort orders by, and whether highest (or latest) comes first. */
export const SORT_ORDER: Readonly<Record<CatalogSort, { by: 'name' | 'price' | 'created'; descending: boolean }>> = {
  name: { by: 'name', descending: false },
  price_asc: { by: 'price', descending: false },
  price_desc: { by: 'price', descending: true },
  newest: { by: 'created', descending: true },
};
