import type { RouteHandler } from '../http/types.js';

export const manageAuditLog: RouteHandler<'manageAuditLog'> = async (request, { audit }) => ({ status: 200, body: await audit.list(request.query) });
