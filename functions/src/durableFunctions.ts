import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import type { ActivityDefinition, OrchestrationDefinition } from './definitions.js';
import { ENRICHMENT_ORCHESTRATION, type OrchestrationSteps, type OrchestrationTask } from './app/enrichment.js';
import type { EnrichmentClient, EnrichmentInput, EnrichmentProgress, EnrichmentResult, EnrichmentRuntimeStatus, Logger, ServicesSource } from './ports.js';

/**
 * Durable Functions, for the Azure registration only (index.ts): durable-functions is heavy and
 * the local host, which has no Durable Task engine, never imports this module.
 */

const STATUS: Record<string, EnrichmentRuntimeStatus> = {
  Pending: 'pending',
  Running: 'running',
  ContinuedAsNew: 'running',
  Completed: 'completed',
  Failed: 'failed',
  Terminated: 'terminated',
  Canceled: 'terminated',
};

/** The enrichment jobs, through the durable client the Functions host binds to the request. */
export function enrichmentClient(client: df.DurableClient): EnrichmentClient {
  return {
    start: (input: EnrichmentInput) => client.startNew(ENRICHMENT_ORCHESTRATION, { input }),
    async status(id) {
      let status: df.DurableOrchestrationStatus;
      try {
        status = await client.getStatus(id);
      } catch (error) {
        if (error instanceof Error && /HTTP 404/.test(error.message)) return null;
        throw error;
      }
      if (!status?.instanceId) return null;
      return {
        id,
        status: STATUS[status.runtimeStatus] ?? 'unknown',
        createdAt: status.createdTime ? new Date(status.createdTime).toISOString() : null,
        progress: (status.customStatus as EnrichmentProgress | undefined) ?? null,
        result: status.runtimeStatus === 'Completed' ? (status.output as EnrichmentResult) : null,
      };
    },
  };
}

/** durable-functions' orchestration context, seen through the orchestrator's own small interface. */
function stepsOf(context: df.OrchestrationContext): OrchestrationSteps {
  return {
    instanceId: context.df.instanceId,
    callActivityWithRetry: (name, retry, input) =>
      context.df.callActivityWithRetry(name, new df.RetryOptions(retry.firstRetryIntervalInMilliseconds, retry.maxNumberOfAttempts), input),
    any: (tasks) => context.df.Task.any(tasks as df.Task[]) as OrchestrationTask,
    setCustomStatus: (status) => context.df.setCustomStatus(status),
  };
}

export function registerOrchestration(definition: OrchestrationDefinition): void {
  df.app.orchestration(definition.name, function* (context: df.OrchestrationContext) {
    return yield* definition.orchestrator(stepsOf(context), context.df.getInput() as EnrichmentInput) as Generator<df.Task, EnrichmentResult, unknown>;
  });
}

export function registerActivity(definition: ActivityDefinition, services: ServicesSource, loggerOf: (context: InvocationContext) => Logger): void {
  df.app.activity(definition.name, {
    handler: async (input: unknown, context: InvocationContext) => definition.handler(input, await services(loggerOf(context)), loggerOf(context)),
  });
}

export { df };
