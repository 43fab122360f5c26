import { productsCsv } from '../app/exports.js';
import { csvDownload } from '../http/download.js';
import type { RouteHandler } from '../http/types.js';

/** The whole catalog as CSV, streamed as it is read. */
export const manageExportProducts: RouteHandler<'manageExportProducts'> = async (_request, services) => csvDownload('products.csv', productsCsv(services));
