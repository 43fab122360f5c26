import { requireAdmin } from '../http/principal.js';
import type { HttpHandler } from '../http/types.js';

/** What AI help the admin page may offer, and why not: from settings, without calling the AI service. */
export const manageAiCapabilities: HttpHandler = async (request, { content }) => {
  requireAdmin(request);
  return { status: 200, body: content.capabilities() };
};
