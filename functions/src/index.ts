import { app, type HttpRequest, type InvocationContext } from '@azure/functions';
import { definitions, refusedByAzure, runTimer, type HttpDefinition } from './definitions.js';
import { servicesOnFirstUse } from './composition.js';
import { runHttp } from './http/pipeline.js';
import { MAX_BODY_BYTES } from './http/types.js';
import type { Logger } from './ports.js';
import type { HttpRuntime } from './http/types.js';
import { enrichmentEnabled } from './config.js';

// Exports are sent as they are read (http/types.ts ApiResponse.raw); without this the worker
// would hold the whole reply in memory first. https://learn.microsoft.com/azure/azure-functions/node-http-stream
app.setup({ enableHttpStream: true });

// Bulk enrichment only where asked for: durable-functions is heavy. Without it, its routes answer
// 503 enrichment_unavailable.
const durable = enrichmentEnabled() ? await import('./durableFunctions.js') : undefined;

/** One start for every trigger of this instance, begun by the first invocation. */
const services = servicesOnFirstUse();

const loggerOf = (context: InvocationContext): Logger => ({
  info: (message, ...details) => context.log(message, ...details),
  warn: (message, ...details) => context.warn(message, ...details),
  error: (message, ...details) => context.error(message, ...details),
});

async function readBytes(request: HttpRequest, limit: number): Promise<Buffer | null> {
  if (Number(request.headers.get('content-length') ?? 0) > limit) return null;
  const bytes = Buffer.from(await request.arrayBuffer());
  return bytes.length > limit ? null : bytes;
}

async function serve(definition: HttpDefinition, request: HttpRequest, context: InvocationContext, runtime: HttpRuntime = {}) {
  const limit = definition.contract.maxBodyBytes ?? MAX_BODY_BYTES;
  const bytes = await readBytes(request, limit);
  const response = await runHttp(
    definition,
    {
      method: request.method,
      url: new URL(request.url),
      params: request.params,
      headers: request.headers,
      body: bytes?.toString('utf8') ?? null,
      bytes,
    },
    services,
    loggerOf(context),
    runtime,
  );
  return { status: response.status, headers: response.headers, body: response.body };
}

for (const definition of definitions) {
  const refusal = refusedByAzure(definition);
  if (refusal) throw new Error(refusal);
  switch (definition.kind) {
    case 'http':
      if (definition.durableClient && durable) {
        const { df, enrichmentClient } = durable;
        df.app.client.http(definition.name, {
          route: definition.contract.route,
          methods: [definition.contract.method],
          authLevel: 'anonymous',
          handler: (request, client, context) => serve(definition, request, context, { enrichment: enrichmentClient(client) }),
        });
        break;
      }
      app.http(definition.name, {
        route: definition.contract.route,
        methods: [definition.contract.method],
        authLevel: 'anonymous',
        handler: (request, context) => serve(definition, request, context),
      });
      break;
    case 'serviceBusQueue':
      app.serviceBusQueue(definition.name, {
        queueName: definition.queueName,
        connection: definition.connection,
        handler: async (message, context) => {
          const meta = context.triggerMetadata ?? {};
          await definition.handler(
            message,
            {
              messageId: String(meta.messageId ?? ''),
              deliveryCount: Number(meta.deliveryCount ?? 1),
              enqueuedTimeUtc: String(meta.enqueuedTimeUtc ?? ''),
            },
            await services(loggerOf(context)),
            loggerOf(context),
          );
        },
      });
      break;
    case 'timer':
      app.timer(definition.name, {
        schedule: `%${definition.scheduleSetting}%`, // the host reads the app setting of that name
        handler: async (_timer, context) => runTimer(definition, await services(loggerOf(context)), loggerOf(context)),
      });
      break;
    case 'orchestration':
      durable?.registerOrchestration(definition);
      break;
    case 'activity':
      durable?.registerActivity(definition, services, loggerOf);
      break;
  }
}
