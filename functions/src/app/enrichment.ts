import type { DraftField } from '../domain/product.js';
export { MAX_ENRICHMENT_PRODUCTS } from '../domain/product.js';
import type { Actor, EnrichmentInput, EnrichmentProgress, EnrichmentResult, ProductOutcome, ProductProgress } from '../ports.js';

/**
 * Bulk AI enrichment as a Durable Functions orchestration, written against a small interface of
 * its own so that tests drive the generator without the durable runtime. The Azure registration
 * (durableFunctions.ts) adapts durable-functions' context to it.
 */

export const ENRICHMENT_ORCHESTRATION = 'enrichment';
export const ENRICH_PRODUCT_ACTIVITY = 'enrichProduct';
export const RECORD_ENRICHMENT_ACTIVITY = 'recordEnrichment';

/** At most this many products are being enriched at once, so one job cannot flood the AI service. */
export const ENRICHMENT_PARALLELISM = 4;

/** How Durable Functions retries a failed activity (its RetryOptions, as callActivityWithRetry takes them). */
export interface ActivityRetry {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
}

/** Each product's activity: a transient AI failure is tried again, three times in all. */
export const ENRICH_RETRY: ActivityRetry = { firstRetryIntervalInMilliseconds: 5_000, maxNumberOfAttempts: 3 };

export interface EnrichProductInput {
  jobId: string;
  productId: string;
  want: DraftField[];
}

export interface RecordEnrichmentInput {
  result: Omit<EnrichmentResult, 'recorded'>;
  actor: Actor;
}

/** A task the orchestration yields; what durable-functions' Task offers, and no more. */
export interface OrchestrationTask {
  readonly isCompleted: boolean;
  readonly isFaulted: boolean;
  readonly result?: unknown;
}

export interface OrchestrationSteps {
  readonly instanceId: string;
  callActivityWithRetry(name: string, retry: ActivityRetry, input: unknown): OrchestrationTask;
  /** A task that completes with the first of these to complete, failed or not. */
  any(tasks: readonly OrchestrationTask[]): OrchestrationTask;
  setCustomStatus(status: EnrichmentProgress): void;
}

const reasonOf = (failure: unknown): string =>
  failure instanceof Error ? failure.message : typeof failure === 'string' ? failure : 'The activity failed.';

/**
 * Fans out one activity per product, never more than `parallelism` at once, then fans in. One
 * product's failure (after its retries) is that product's outcome only. The result is the
 * orchestration's output and is recorded in the audit log.
 */
export function* enrichmentOrchestration(
  steps: OrchestrationSteps,
  input: EnrichmentInput,
  parallelism = ENRICHMENT_PARALLELISM,
): Generator<OrchestrationTask, EnrichmentResult, unknown> {
  const jobId = steps.instanceId;
  const progress = new Map<string, ProductProgress>(input.productIds.map((productId) => [productId, { productId, state: 'pending' }]));
  const publish = () => {
    const products = [...progress.values()];
    const done = products.filter((product) => product.state === 'ok' || product.state === 'failed').length;
    steps.setCustomStatus({ total: products.length, done, products });
  };
  const waiting = [...progress.keys()];
  const inFlight: Array<{ productId: string; task: OrchestrationTask }> = [];
  while (waiting.length > 0 || inFlight.length > 0) {
    while (inFlight.length < parallelism && waiting.length > 0) {
      const productId = waiting.shift()!;
      const activityInput: EnrichProductInput = { jobId, productId, want: input.want };
      inFlight.push({ productId, task: steps.callActivityWithRetry(ENRICH_PRODUCT_ACTIVITY, ENRICH_RETRY, activityInput) });
      progress.set(productId, { productId, state: 'running' });
    }
    publish();
    const winner = (yield steps.any(inFlight.map((flight) => flight.task))) as OrchestrationTask;
    const index = inFlight.findIndex((flight) => flight.task === winner);
    const [finished] = inFlight.splice(index === -1 ? 0 : index, 1);
    const { productId } = finished!;
    const task = finished!.task;
    progress.set(
      productId,
      task.isFaulted ? { productId, state: 'failed', reason: reasonOf(task.result) } : (task.result as ProductOutcome),
    );
  }
  const outcomes = input.productIds.map((productId) => progress.get(productId) as ProductOutcome);
  const ok = outcomes.filter((outcome) => outcome.state === 'ok').length;
  const result = { jobId, total: outcomes.length, ok, failed: outcomes.length - ok, outcomes };
  publish();
  let recorded = true;
  try {
    const record: RecordEnrichmentInput = { result, actor: input.actor };
    yield steps.callActivityWithRetry(RECORD_ENRICHMENT_ACTIVITY, ENRICH_RETRY, record);
  } catch {
    recorded = false;
  }
  return { ...result, recorded };
}
