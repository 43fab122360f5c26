import { pageQuery } from '../domain/schemas.js';
import { parseQuery } from '../http/parse.js';
import { requireAdmin } from '../http/principal.js';
import type { HttpHandler } from '../http/types.js';

export const manageListDeadLetters: HttpHandler = async (request, { queue }) => {
  requireAdmin(request);
  const { limit } = parseQuery(request, pageQuery);
  return { status: 200, body: { items: await queue.deadLetters(limit) } };
};
