import { auditEnrichmentJob, draftProductContent } from '../app/enrichmentJobs.js';
import type { EnrichProductInput, RecordEnrichmentInput } from '../app/enrichment.js';
import type { Logger, ProductOutcome, Services } from '../ports.js';

/** The enrichment orchestration's activity for one product: drafts its content. */
export const enrichProduct = (input: EnrichProductInput, services: Services, log: Logger): Promise<ProductOutcome> =>
  draftProductContent(services, input, log);

/** The orchestration's last activity: the job's outcome in the audit log. */
export const recordEnrichment = (input: RecordEnrichmentInput, services: Services): Promise<void> => auditEnrichmentJob(services, input);
