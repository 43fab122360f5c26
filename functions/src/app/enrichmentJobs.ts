import { aiNotConfigured, nothingToEnrich, productDeletedMeanwhile, productNotFound, StoreError } from '../domain/errors.js';
import { imageUrl } from '../domain/images.js';
import { MAX_ENRICHMENT_PRODUCTS, PLACEHOLDER_IMAGE_URL, type DraftField, type Product, type ProductContentDraft } from '../domain/product.js';
import type { EnrichmentClient, Logger, Principal, ProductOutcome, ProductStore, Services } from '../ports.js';
import { actorOf, audit } from './audit.js';
import type { EnrichProductInput, RecordEnrichmentInput } from './enrichment.js';

const lacks: Record<DraftField, (product: Product) => boolean> = {
  description: (product) => product.description.trim() === '',
  image: (product) => product.imageUrl === PLACEHOLDER_IMAGE_URL,
};

/** Every product missing that field, in catalog order, up to one job's worth. */
async function productsWithout(products: ProductStore, field: DraftField): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await products.list({ limit: 100, cursor });
    ids.push(...page.items.filter(lacks[field]).map((product) => product.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && ids.length < MAX_ENRICHMENT_PRODUCTS);
  return ids.slice(0, MAX_ENRICHMENT_PRODUCTS);
}

/** Which products: these, or every one without a description or an image. */
export type EnrichmentTargets = { productIds: string[]; without?: undefined } | { productIds?: undefined; without: DraftField };

/**
 * An employee starts one enrichment job; its outcome is audited when it ends (auditEnrichmentJob).
 * A job wanting what the content writer cannot make is refused before it starts (503, as the
 * capabilities route says), rather than accepted to fail on every product.
 */
export async function startEnrichment(
  { products, content }: Pick<Services, 'products' | 'content'>,
  client: EnrichmentClient,
  employee: Principal,
  targets: EnrichmentTargets,
  want: DraftField[],
): Promise<{ id: string; total: number }> {
  const capabilities = content.capabilities();
  const missing = want.map((field) => capabilities[field]).find((capability) => !capability.available);
  if (missing) throw aiNotConfigured(missing.reason ?? 'No AI service is configured.');
  const productIds = targets.productIds ? [...new Set(targets.productIds)] : await productsWithout(products, targets.without);
  if (productIds.length === 0) throw nothingToEnrich(targets.without === 'image' ? 'an image' : 'a description');
  const id = await client.start({ productIds, want, actor: actorOf(employee) });
  return { id, total: productIds.length };
}

/** Failures that another attempt would not mend: the product's outcome at once, without retries. */
const FINAL_CODES = new Set(['product_not_found', 'ai_not_configured', 'content_filtered']);

/**
 * One product of an enrichment job: asks the content writer for what is wanted and stores it as
 * the product's draft, never in its description or imageUrl. Transient failures throw, so the
 * orchestration's retry policy tries again.
 */
export async function draftProductContent(services: Services, { productId, want, jobId }: EnrichProductInput, log: Logger): Promise<ProductOutcome> {
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
export async function auditEnrichmentJob(services: Pick<Services, 'audit' | 'clock'>, { result, actor }: RecordEnrichmentInput): Promise<void> {
  await audit(services, actor, 'enrichment.completed', result.jobId, { after: result });
}
