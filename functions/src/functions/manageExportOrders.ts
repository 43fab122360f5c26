import { ordersCsv } from '../app/exports.js';
import { orderExportQuery } from '../domain/schemas.js';
import { csvDownload } from '../http/download.js';
import { parseQuery } from '../http/parse.js';
import type { EmployeeHandler } from '../http/types.js';

/** The orders placed between two days as CSV, streamed as it is read. */
export const manageExportOrders: EmployeeHandler = async (request, services) => {
  const { from, to, created } = parseQuery(request, orderExportQuery);
  return csvDownload(`orders-${from}-to-${to}.csv`, ordersCsv(services, created));
};
