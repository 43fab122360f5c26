import type { Services } from '../ports.js';
import { productNotFound } from '../domain/errors.js';
import type { EnrichProductInput, RecordEnrichmentInput } from '../app/enrichment.js';
import { productDeletedMeanwhile, StoreError } from '../domain/errors.js';
import { imageUrl } from '../domain/images.js';
import { newId } from '../domain/ids.js';
import type { DraftField, ProductContentDraft } from '../domain/product.js';
import type { Logger, ProductOutcome } from '../ports.js';

/** Failures that another attempt would not mend: the product's outcome at once, without retries. */
const FINAL_CODES = new Set(['product_not_found', 'ai_not_configured', 'content_filtered']);

/**
 * One product of an enrichment job: asks the content writer for what is wanted and stores it as
 * the product's draft, never in its description or imageUrl. Transient failures throw, so the
 * orchestration's retry policy tries again.
 */
export async function enrichProduct(input: EnrichProductInput, services: Services, log: Logger): Promise<ProductOutcome> {
  const { productId, want, jobId } = input;
  try {
    const product = await services.products.get(productId);
    if (!product) throw productNotFound(productId);
    const draft: ProductContentDraft = { at: services.clock.now().toISOString(), jobId };
    const wrote: DraftField[] = [];
    if (want.includes('description')) {
      draft.description = await services.content.describe({ name: product.name, tags: product.tags });
      wrote.push('description');
    }
    if (want.includes('image')) {
      const picture = await services.content.draw({ name: product.name, description: draft.description ?? product.description });
      draft.imageUrl = imageUrl((await services.images.put(picture)).id);
      wrote.push('image');
    }
    if (!(await services.products.saveDraft(productId, draft))) throw productDeletedMeanwhile(productId);
    log.info(`enrichment ${jobId}: drafted ${wrote.join(' and ')} for product ${productId}`);
    return { productId, state: 'ok', wrote };
  } catch (error) {
    if (error instanceof StoreError && FINAL_CODES.has(error.code)) return { productId, state: 'failed', reason: error.message };
    throw error;
  }
}

/** The job's outcome in the audit log, as "enrichment.completed" by whoever started it. */
export async function recordEnrichment({ result, actor }: RecordEnrichmentInput, services: Services): Promise<void> {
  await services.audit.record({
    id: newId(),
    at: services.clock.now().toISOString(),
    actor,
    action: 'enrichment.completed',
    target: result.jobId,
    before: null,
    after: result,
  });
}
