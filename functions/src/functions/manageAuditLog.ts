import { pageQuery } from '../domain/schemas.js';
import { parseQuery } from '../http/parse.js';
import type { HttpHandler } from '../http/types.js';

export const manageAuditLog: HttpHandler = async (request, { audit }) => {
  return { status: 200, body: await audit.list(parseQuery(request, pageQuery)) };
};
