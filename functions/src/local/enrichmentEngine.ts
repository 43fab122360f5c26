import type { SqliteEnrichmentJobs } from '../adapters/embedded/enrichmentJobs.js';
import type { OrchestrationSteps, OrchestrationTask, ActivityRetry } from '../app/enrichment.js';
import type { ActivityDefinition, OrchestrationDefinition } from '../definitions.js';
import { newId } from '../domain/ids.js';
import type { EnrichmentClient, EnrichmentInput, EnrichmentProgress, EnrichmentStatus, Logger, Services } from '../ports.js';

/**
 * Bulk enrichment on the local host, which has no Durable Task engine: drives the same
 * orchestrator generator and the same activities that Durable Functions runs on Azure, in this
 * process, and keeps each job's status, progress and outcome in the SQLite file (SqliteEnrichmentJobs).
 *
 * A job does not resume after the process ends: Durable Functions replays an orchestration from
 * its recorded history of activity results, which this engine does not keep. A job still pending
 * or running when the host stops (or when a new host finds one left by a crash) is marked failed;
 * the drafts it wrote stay, and the employee starts another job for the products still missing.
 */

/** What the orchestrator yields here: settled once its work is, never throwing. */
class LocalTask implements OrchestrationTask {
  isCompleted = false;
  isFaulted = false;
  result?: unknown;
  readonly settled: Promise<void>;

  constructor(work: Promise<unknown>) {
    this.settled = work.then(
      (value) => {
        this.isCompleted = true;
        this.result = value;
      },
      (error: unknown) => {
        this.isCompleted = true;
        this.isFaulted = true;
        this.result = error;
      },
    );
  }
}

/** As durable-functions' Task.any: completes, never faulted, with the first of the tasks to settle. */
const firstOf = (tasks: readonly LocalTask[]) => new LocalTask(Promise.race(tasks.map((task) => task.settled.then(() => task))));

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Durable Functions' retry with its default backoff coefficient of 1: the same pause before every new attempt. */
async function withRetry<T>(attempt: () => Promise<T>, retry: ActivityRetry): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (tried >= retry.maxNumberOfAttempts) throw error;
      await pause(retry.firstRetryIntervalInMilliseconds);
    }
  }
}

export class LocalEnrichmentEngine implements EnrichmentClient {
  private readonly activities: ReadonlyMap<string, ActivityDefinition['handler']>;
  private stopped = false;

  constructor(
    private readonly jobs: SqliteEnrichmentJobs,
    private readonly orchestration: OrchestrationDefinition,
    activities: readonly ActivityDefinition[],
    private readonly services: Services,
    private readonly log: Logger,
  ) {
    this.activities = new Map(activities.map((activity) => [activity.name, activity.handler]));
  }

  /** Jobs an earlier process left unfinished (it crashed or was killed) are marked failed; see above for why. */
  async recover(): Promise<void> {
    const interrupted = await this.jobs.failUnfinished();
    if (interrupted.length > 0) this.log.warn(`enrichment jobs interrupted by the last stop, marked failed: ${interrupted.join(', ')}`);
  }

  async start(input: EnrichmentInput): Promise<string> {
    if (this.stopped) throw new Error('the enrichment engine is stopping');
    const id = newId();
    await this.jobs.create(id, input, this.services.clock.now().toISOString());
    void this.run(id, input).catch((error: unknown) => this.log.error(`enrichment ${id} could not record its end`, error));
    return id;
  }

  status(id: string): Promise<EnrichmentStatus | null> {
    return this.jobs.get(id);
  }

  /** Leaves running jobs to their end: marked failed now, while the store is still open. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.recover();
  }

  private async run(id: string, input: EnrichmentInput): Promise<void> {
    let progress: EnrichmentProgress | undefined;
    let saved: EnrichmentProgress | undefined;
    const steps: OrchestrationSteps = {
      instanceId: id,
      callActivityWithRetry: (name, retry, activityInput) => new LocalTask(withRetry(() => this.activity(name, activityInput), retry)),
      any: (tasks) => firstOf(tasks as LocalTask[]),
      setCustomStatus: (status) => (progress = status),
    };
    const generator = this.orchestration.orchestrator(steps, input);
    try {
      for (let next = generator.next(); ; ) {
        if (progress !== saved) await this.jobs.running(id, (saved = progress)!);
        if (next.done) return await this.jobs.finished(id, 'completed', next.value);
        const task = next.value as LocalTask;
        await task.settled;
        if (this.stopped) return;
        next = task.isFaulted ? generator.throw(task.result) : generator.next(task.result);
      }
    } catch (error) {
      if (this.stopped) return;
      this.log.error(`enrichment ${id} failed`, error);
      await this.jobs.finished(id, 'failed', null);
    }
  }

  private async activity(name: string, input: unknown): Promise<unknown> {
    const handler = this.activities.get(name);
    if (!handler) throw new Error(`no activity ${name}`);
    return handler(input, this.services, this.log);
  }
}
