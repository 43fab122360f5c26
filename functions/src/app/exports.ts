import { ORDER_CSV_HEADER, orderCsvLine, PRODUCT_CSV_HEADER, productCsvLine } from '../domain/csv.js';
import type { CreatedBetween, Page, Services } from '../ports.js';

/** Rows read from the store at a time (the most any page of the API holds), whatever the export's size. */
const EXPORT_PAGE = 100;

/** Every page of a paged read, one after the other, asking for the next only when the last is written. */
async function* pages<T>(read: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<T[]> {
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** An export as UTF-8 chunks: a byte order mark first, so spreadsheets read the names' accents right. */
async function* csv<T>(header: string, line: (item: T) => string, read: (cursor: string | undefined) => Promise<Page<T>>): AsyncGenerator<Uint8Array> {
  yield Buffer.from(`\uFEFF${header}`);
  for await (const items of pages(read)) if (items.length) yield Buffer.from(items.map(line).join(''));
}

/** The orders placed in a range, oldest first, as CSV read page by page: never the whole file in memory. */
export const ordersCsv = (services: Services, created: CreatedBetween): AsyncGenerator<Uint8Array> =>
  csv(ORDER_CSV_HEADER, orderCsvLine, (cursor) => services.orders.list({ created, oldestFirst: true, limit: EXPORT_PAGE, cursor }));

/** The whole catalog in catalog order, as CSV read page by page. */
export const productsCsv = (services: Services): AsyncGenerator<Uint8Array> =>
  csv(PRODUCT_CSV_HEADER, productCsvLine, (cursor) => services.products.list({ limit: EXPORT_PAGE, cursor }));
