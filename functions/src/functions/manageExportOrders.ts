import { ordersCsv } from '../app/exports.js';
import { csvDownload } from '../http/download.js';
import type { RouteHandler } from '../http/types.js';

/** The orders placed between two days as CSV, streamed as it is read. */
export const manageExportOrders: RouteHandler<'manageExportOrders'> = async (request, services) => {
  const { from, to, created } = request.query;
  return csvDownload(`orders-${from}-to-${to}.csv`, ordersCsv(services, created));
};
