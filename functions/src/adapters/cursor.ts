import { unknownCursor } from '../domain/errors.js';
import { SORT_ORDER, type CatalogSort } from '../domain/catalogSort.js';

/** Cursors are opaque to callers: base64url of the sort key where the last page ended. */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, parts: number): string[] | null {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === parts && key.every((part) => typeof part === 'string')) return key;
  } catch {
    // fall through: not a cursor this store made
  }
  return null;
}

/** The sort key a cursor stands for; a cursor this API did not make is the caller's mistake. */
export function cursorKey(cursor: string | undefined, parts: number): string[] | null {
  if (cursor === undefined) return null;
  const key = decodeCursor(cursor, parts);
  if (!key) throw unknownCursor();
  return key;
}

/**
 * Where a catalog page in this order (domain/catalogSort.ts) ended: the sort value, a price as a
 * number, and the id. A price that is not a whole number was not made for this order.
 */
export function catalogCursor(cursor: string | undefined, sort: CatalogSort): [string | number, string] | null {
  const key = cursorKey(cursor, 2);
  if (key === null) return null;
  if (SORT_ORDER[sort].by !== 'price') return [key[0]!, key[1]!];
  if (!/^\d{1,15}$/.test(key[0]!)) throw unknownCursor();
  return [Number(key[0]), key[1]!];
}

/** The queue sequence number (whole, 64-bit at most) a page of messages ended at; null for the first page. */
export function sequenceCursor(cursor: string | undefined): string | null {
  const key = cursorKey(cursor, 1);
  if (key === null) return null;
  if (!/^\d{1,18}$/.test(key[0]!)) throw unknownCursor();
  return key[0]!;
}

/**
 * Turns `limit + 1` fetched rows into a page: the extra row only says whether another page
 * exists, and the cursor is the sort key of the last row shown.
 */
export function pageOf<Row, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
  sortKey: (row: Row) => readonly string[],
): { items: Item[]; nextCursor: string | null } {
  const shown = rows.slice(0, limit);
  const last = shown.at(-1);
  return { items: shown.map(toItem), nextCursor: rows.length > limit && last ? encodeCursor(sortKey(last)) : null };
}
