import { describe, expect, it } from 'vitest';
import {
  ENRICH_PRODUCT_ACTIVITY,
  ENRICH_RETRY,
  enrichmentOrchestration,
  RECORD_ENRICHMENT_ACTIVITY,
  type EnrichProductInput,
  type OrchestrationSteps,
  type OrchestrationTask,
  type RecordEnrichmentInput,
  type ActivityRetry,
} from '../../src/app/enrichment.js';
import type { EnrichmentProgress, EnrichmentResult, ProductOutcome } from '../../src/ports.js';

/**
 * Drives the orchestrator generator the way the Durable Task engine would, without it: each
 * activity call becomes a task; `behaviour` decides per attempt whether it succeeds or throws;
 * retries follow the retry policy the orchestrator passed; Task.any completes with the task the
 * test chooses to finish first.
 */
class TestContext implements OrchestrationSteps {
  readonly instanceId = 'job-1';
  readonly calls: Array<{ name: string; retry: ActivityRetry; input: unknown }> = [];
  readonly attempts = new Map<string, number>();
  readonly statuses: EnrichmentProgress[] = [];
  maxInFlight = 0;
  private inFlight = 0;

  constructor(private readonly behaviour: (productId: string, attempt: number) => ProductOutcome | Error) {}

  callActivityWithRetry(name: string, retry: ActivityRetry, input: unknown): OrchestrationTask {
    this.calls.push({ name, retry, input });
    if (name === RECORD_ENRICHMENT_ACTIVITY) return { isCompleted: true, isFaulted: false, result: undefined };
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const { productId } = input as EnrichProductInput;
    // What the engine's retry policy does: attempt again until success or the last attempt.
    let result: ProductOutcome | Error = new Error('never ran');
    for (let attempt = 1; attempt <= retry.maxNumberOfAttempts; attempt++) {
      this.attempts.set(productId, attempt);
      result = this.behaviour(productId, attempt);
      if (!(result instanceof Error)) break;
    }
    return { isCompleted: false, isFaulted: result instanceof Error, result, productId } as OrchestrationTask;
  }

  any(tasks: readonly OrchestrationTask[]): OrchestrationTask {
    return { isCompleted: false, isFaulted: false, result: tasks, kind: 'any' } as OrchestrationTask;
  }

  setCustomStatus(status: EnrichmentProgress): void {
    this.statuses.push(structuredClone(status));
  }

  /** Runs the orchestration; `pick` chooses which in-flight task completes first (default: the oldest). */
  run(productIds: string[], parallelism?: number, pick: (tasks: readonly OrchestrationTask[]) => number = () => 0): EnrichmentResult {
    const generator = enrichmentOrchestration(this, { productIds, want: ['description'], actor: { userId: 'u1' } }, parallelism);
    let next = generator.next();
    while (!next.done) {
      const yielded = next.value as OrchestrationTask & { kind?: string };
      if (yielded.kind === 'any') {
        const tasks = yielded.result as OrchestrationTask[];
        const winner = tasks[pick(tasks)]!;
        this.inFlight -= 1;
        next = generator.next(winner);
      } else if (yielded.isFaulted) {
        next = generator.throw(yielded.result);
      } else {
        next = generator.next(yielded.result);
      }
    }
    return next.value;
  }
}

const ok = (productId: string): ProductOutcome => ({ productId, state: 'ok', wrote: ['description'] });
const ids = (n: number) => Array.from({ length: n }, (_, i) => `p${i + 1}`);

describe('the enrichment orchestrator', () => {
  it('fans out one activity per product with the retry policy, and fans in every outcome in order', () => {
    const context = new TestContext(ok);
    const result = context.run(ids(3));
    const activities = context.calls.filter((call) => call.name === ENRICH_PRODUCT_ACTIVITY);
    expect(activities.map((call) => call.input)).toEqual(
      ids(3).map((productId) => ({ jobId: 'job-1', productId, want: ['description'] })),
    );
    expect(activities.every((call) => call.retry === ENRICH_RETRY)).toBe(true);
    expect(ENRICH_RETRY.maxNumberOfAttempts).toBeGreaterThan(1);
    expect(result).toEqual({ jobId: 'job-1', total: 3, ok: 3, failed: 0, outcomes: ids(3).map(ok), recorded: true });
  });

  it('keeps at most the parallelism bound in flight, starting the next as each one finishes', () => {
    const context = new TestContext(ok);
    // Finish the newest first, so completions come out of order.
    const result = context.run(ids(10), 4, (tasks) => tasks.length - 1);
    expect(context.maxInFlight).toBe(4);
    expect(result.outcomes.map((outcome) => outcome.productId)).toEqual(ids(10));
    expect(context.calls.filter((call) => call.name === ENRICH_PRODUCT_ACTIVITY)).toHaveLength(10);
  });

  it('uses its default bound of 4 when none is given', () => {
    const context = new TestContext(ok);
    context.run(ids(9));
    expect(context.maxInFlight).toBe(4);
  });

  it('retries a failing product and counts it ok when a later attempt works', () => {
    const context = new TestContext((productId, attempt) => (productId === 'p2' && attempt < 3 ? new Error('ai_busy') : ok(productId)));
    const result = context.run(ids(3));
    expect(context.attempts.get('p2')).toBe(3);
    expect(context.attempts.get('p1')).toBe(1);
    expect(result.ok).toBe(3);
  });

  it("lets one product fail after its retries without failing the others, and says why", () => {
    const context = new TestContext((productId) =>
      productId === 'p2'
        ? new Error('The AI service is busy.')
        : productId === 'p3'
          ? { productId, state: 'failed', reason: 'There is no product p3.' }
          : ok(productId),
    );
    const result = context.run(ids(4), 2);
    expect(context.attempts.get('p2')).toBe(ENRICH_RETRY.maxNumberOfAttempts);
    expect(result.outcomes).toEqual([
      ok('p1'),
      { productId: 'p2', state: 'failed', reason: 'The AI service is busy.' },
      { productId: 'p3', state: 'failed', reason: 'There is no product p3.' },
      ok('p4'),
    ]);
    expect(result).toMatchObject({ total: 4, ok: 2, failed: 2, recorded: true });
  });

  it('records the outcome through the audit activity, and publishes progress as n of m', () => {
    const context = new TestContext(ok);
    const result = context.run(ids(5), 2);
    const record = context.calls.at(-1)!;
    expect(record.name).toBe(RECORD_ENRICHMENT_ACTIVITY);
    const { recorded: _recorded, ...recordedResult } = result;
    expect(record.input).toEqual({ result: recordedResult, actor: { userId: 'u1' } } satisfies RecordEnrichmentInput);
    expect(context.statuses[0]).toMatchObject({ total: 5, done: 0 });
    expect(context.statuses[0]!.products.map((product) => product.state)).toEqual(['running', 'running', 'pending', 'pending', 'pending']);
    expect(context.statuses.map((status) => status.done)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(context.statuses.at(-1)!.products).toEqual(ids(5).map(ok));
  });

  it('still returns the outcome when even the audit record fails', () => {
    const context = new TestContext(ok);
    const original = context.callActivityWithRetry.bind(context);
    context.callActivityWithRetry = (name, retry, input) =>
      name === RECORD_ENRICHMENT_ACTIVITY ? { isCompleted: true, isFaulted: true, result: new Error('audit down') } : original(name, retry, input);
    expect(context.run(ids(2))).toMatchObject({ ok: 2, recorded: false });
  });
});
