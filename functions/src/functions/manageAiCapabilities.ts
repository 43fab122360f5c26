import type { RouteHandler } from '../http/types.js';
import { ENRICHMENT_UNAVAILABLE } from '../domain/errors.js';

/** What AI help the admin page may offer, and why not: from settings, without calling the AI service. */
export const manageAiCapabilities: RouteHandler<'manageAiCapabilities'> = async (_request, { content }, _log, runtime) => {
  const writer = content.capabilities();
  const enrichment = !runtime.enrichment
    ? { available: false, reason: ENRICHMENT_UNAVAILABLE }
    : writer.description.available || writer.image.available
      ? { available: true }
      : { available: false, reason: writer.description.reason ?? 'No AI service is configured.' };
  return { status: 200, body: { ...writer, enrichment } };
};
