import { startEnrichment } from '../app/enrichmentJobs.js';
import { enrichmentNotFound, enrichmentUnavailable } from '../domain/errors.js';
import type { HttpRuntime, RouteHandler } from '../http/types.js';

function enrichmentClient(runtime: HttpRuntime) {
  if (!runtime.enrichment) throw enrichmentUnavailable();
  return runtime.enrichment;
}

/** Starts one enrichment job: 202 with its id and where to follow it. */
export const manageStartEnrichment: RouteHandler<'manageStartEnrichment'> = async (request, services, log, runtime) => {
  const { productIds, without, want } = request.body;
  const targets = productIds ? { productIds } : { without: without! };
  const { id, total } = await startEnrichment(services, enrichmentClient(runtime), request.principal, targets, want);
  log.info(`enrichment ${id} started for ${total} products`);
  const location = `/api/manage/enrichment/${id}`;
  return { status: 202, headers: { location }, body: { id, total, location } };
};

/** Where a job is: status, n of m, and each product's state. */
export const manageEnrichmentStatus: RouteHandler<'manageEnrichmentStatus'> = async (request, _services, _log, runtime) => {
  const { id } = request.params;
  const status = await enrichmentClient(runtime).status(id);
  if (!status) throw enrichmentNotFound(id);
  return { status: 200, body: status };
};
