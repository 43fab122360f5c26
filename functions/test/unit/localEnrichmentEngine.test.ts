import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { enrichmentOrchestration, ENRICH_PRODUCT_ACTIVITY, ENRICH_RETRY, RECORD_ENRICHMENT_ACTIVITY, type EnrichProductInput } from '../../src/app/enrichment.js';
import type { ActivityDefinition } from '../../src/definitions.js';
import { LocalEnrichmentEngine } from '../../src/local/enrichmentEngine.js';
import { silentLog, tempServices } from '../support/services.js';

/**
 * The local host's engine as Durable Functions would run the orchestration: activities retried by
 * the orchestrator's policy (its pauses on fake timers), a failure after the last attempt that
 * product's alone, a failed audit record thrown back into the orchestrator.
 */
describe('the local enrichment engine', () => {
  let services: ReturnType<typeof tempServices>;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout'] }); // SQLite's group commit runs on setImmediate, left real
    services = tempServices();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await services.dispose();
  });

  const engineWith = (enrich: (input: EnrichProductInput, attempt: number) => unknown, record: () => unknown = () => undefined) => {
    const attempts = new Map<string, number>();
    const activities: ActivityDefinition[] = [
      {
        kind: 'activity',
        name: ENRICH_PRODUCT_ACTIVITY,
        handler: async (input: EnrichProductInput) => {
          const attempt = (attempts.get(input.productId) ?? 0) + 1;
          attempts.set(input.productId, attempt);
          return enrich(input, attempt);
        },
      },
      { kind: 'activity', name: RECORD_ENRICHMENT_ACTIVITY, handler: async () => record() },
    ];
    const orchestration = { kind: 'orchestration' as const, name: 'enrichment', orchestrator: enrichmentOrchestration };
    return { engine: new LocalEnrichmentEngine(services.enrichmentJobs, orchestration, activities, services, silentLog), attempts };
  };

  const finished = async (engine: LocalEnrichmentEngine, id: string) => {
    for (let waited = 0; waited < 60_000; waited += 1_000) {
      const status = await engine.status(id);
      if (status && status.status !== 'pending' && status.status !== 'running') return status;
      await vi.advanceTimersByTimeAsync(1_000);
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error('the job did not finish');
  };

  it('retries a failing activity by the policy, and reports a product that fails every attempt as failed', async () => {
    const { engine, attempts } = engineWith((input, attempt) => {
      if (input.productId === 'never' || attempt < 2) throw new Error(`AI busy (attempt ${attempt})`);
      return { productId: input.productId, state: 'ok', wrote: input.want };
    });
    const id = await engine.start({ productIds: ['once', 'never'], want: ['description'], actor: {} });
    const status = await finished(engine, id);
    expect(status).toMatchObject({ status: 'completed', result: { total: 2, ok: 1, failed: 1, recorded: true } });
    expect(status.result?.outcomes).toEqual([
      { productId: 'once', state: 'ok', wrote: ['description'] },
      { productId: 'never', state: 'failed', reason: `AI busy (attempt ${ENRICH_RETRY.maxNumberOfAttempts})` },
    ]);
    expect(Object.fromEntries(attempts)).toEqual({ once: 2, never: ENRICH_RETRY.maxNumberOfAttempts });
  });

  it('completes with recorded false when even the audit record cannot be written', async () => {
    const { engine } = engineWith(
      (input) => ({ productId: input.productId, state: 'ok', wrote: input.want }),
      () => {
        throw new Error('audit log down');
      },
    );
    const id = await engine.start({ productIds: ['p'], want: ['description'], actor: {} });
    expect(await finished(engine, id)).toMatchObject({ status: 'completed', result: { ok: 1, recorded: false }, progress: { total: 1, done: 1 } });
  });

  it('marks running jobs failed when it stops, and answers null for a job it never had', async () => {
    const { engine } = engineWith(() => new Promise(() => {}));
    const id = await engine.start({ productIds: ['slow'], want: ['description'], actor: {} });
    await vi.waitFor(async () => expect((await engine.status(id))?.status).toBe('running'));
    await engine.stop();
    expect(await engine.status(id)).toMatchObject({ status: 'failed', result: null });
    expect(await engine.status('no-such-job')).toBeNull();
  });
});
