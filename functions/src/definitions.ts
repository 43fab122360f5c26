import type { HttpEndpoint, RouteHandler } from './http/types.js';
import { ORDERS_QUEUE, type QueueHandler, type TimerHandler } from './triggers.js';
import type { ScheduleSetting } from './config.js';
import { getProducts } from './functions/getProducts.js';
import { getProduct } from './functions/getProduct.js';
import { getRelatedProducts } from './functions/getRelatedProducts.js';
import { getTags } from './functions/getTags.js';
import { postOrder } from './functions/postOrder.js';
import { getOrder } from './functions/getOrder.js';
import { cancelOrder } from './functions/cancelOrder.js';
import { payOrder } from './functions/payOrder.js';
import { confirmPayment } from './functions/confirmPayment.js';
import { getPaymentSetup } from './functions/getPaymentSetup.js';
import { manageCancelOrder } from './functions/manageCancelOrder.js';
import { health } from './functions/health.js';
import { getOpenApi } from './functions/getOpenApi.js';
import { contract, type RouteName } from './http/contract/routes.js';
import { listMyOrders } from './functions/listMyOrders.js';
import { claimMyOrders } from './functions/claimMyOrders.js';
import { getCheckoutDefaults } from './functions/getCheckoutDefaults.js';
import { manageListOrders } from './functions/manageListOrders.js';
import { manageGetOrder } from './functions/manageGetOrder.js';
import { manageTransitionOrder } from './functions/manageTransitionOrder.js';
import { manageResendOrder } from './functions/manageResendOrder.js';
import { manageBulkOrders } from './functions/manageBulkOrders.js';
import { manageExportOrders } from './functions/manageExportOrders.js';
import { manageExportProducts } from './functions/manageExportProducts.js';
import { manageCreateProduct } from './functions/manageCreateProduct.js';
import { manageUpdateProduct } from './functions/manageUpdateProduct.js';
import { manageDeleteProduct } from './functions/manageDeleteProduct.js';
import { manageRestockProduct } from './functions/manageRestockProduct.js';
import { getImage } from './functions/getImage.js';
import { manageUploadImage } from './functions/manageUploadImage.js';
import { manageListDeadLetters } from './functions/manageListDeadLetters.js';
import { manageReplayDeadLetter } from './functions/manageReplayDeadLetter.js';
import { manageDiscardDeadLetter } from './functions/manageDiscardDeadLetter.js';
import { manageAuditLog } from './functions/manageAuditLog.js';
import { manageOverview } from './functions/manageOverview.js';
import { manageAiCapabilities } from './functions/manageAiCapabilities.js';
import { manageAiDescription } from './functions/manageAiDescription.js';
import { manageAiImage } from './functions/manageAiImage.js';
import { makeline } from './functions/makeline.js';
import { outboxSweeper } from './functions/outboxSweeper.js';
import { virtualCustomer } from './functions/virtualCustomer.js';
import { virtualWorker } from './functions/virtualWorker.js';
import { manageAcceptDraft, manageAcceptDrafts, manageDiscardDraft, manageGetProduct } from './functions/manageDrafts.js';
import { manageEnrichmentStatus, manageStartEnrichment } from './functions/manageEnrichment.js';
import { enrichProduct, recordEnrichment } from './functions/enrichmentActivities.js';
import {
  ENRICH_PRODUCT_ACTIVITY,
  ENRICHMENT_ORCHESTRATION,
  enrichmentOrchestration,
  RECORD_ENRICHMENT_ACTIVITY,
  type OrchestrationSteps,
  type OrchestrationTask,
} from './app/enrichment.js';
import type { EnrichmentInput, EnrichmentResult, Logger, Services } from './ports.js';

export type HttpDefinition = HttpEndpoint & {
  kind: 'http';
  /** The function's name: its route's name in the contract. */
  name: string;
  /** Azure registers it with a durable client input and hands the handler runtime.enrichment. */
  durableClient?: boolean;
};

/** A Durable Functions orchestrator: runs only under the Functions host with the Durable Task extension. */
export interface OrchestrationDefinition {
  kind: 'orchestration';
  name: string;
  orchestrator: (steps: OrchestrationSteps, input: EnrichmentInput) => Generator<OrchestrationTask, EnrichmentResult, unknown>;
}

/** A Durable Functions activity, called by an orchestration. */
export interface ActivityDefinition {
  kind: 'activity';
  name: string;
  handler: (input: any, services: Services, log: Logger) => Promise<unknown>;
}

export interface QueueDefinition {
  kind: 'serviceBusQueue';
  name: string;
  queueName: string;
  /** The app setting (prefix) holding the Service Bus connection. */
  connection: string;
  handler: QueueHandler;
}

export interface TimerDefinition {
  kind: 'timer';
  name: string;
  /** The setting holding its NCRONTAB schedule: Azure's trigger reads it as %NAME%, the local host from the config. */
  scheduleSetting: ScheduleSetting;
  handler: TimerHandler;
}

export type FunctionDefinition = HttpDefinition | QueueDefinition | TimerDefinition | OrchestrationDefinition | ActivityDefinition;

/** Whether these functions need the Durable Task extension (and its storage) where they are deployed. */
export const usesDurableFunctions = (list: readonly FunctionDefinition[]) =>
  list.some((definition) => definition.kind === 'orchestration' || definition.kind === 'activity');

export const SERVICE_BUS_CONNECTION = 'ServiceBusConnection';

/**
 * Route N of the contract (http/contract/routes.ts), served by its handler: the method, path,
 * role and schemas are the contract's, and the handler's type is the route's own.
 */
const route = <N extends RouteName>(name: N, handler: RouteHandler<N>, options: { durableClient?: true } = {}): HttpDefinition => ({
  kind: 'http',
  name,
  contract: contract[name],
  // Generic N hides that each RouteReply<N> is an ApiResponse; the type of `handler` above is what binds.
  handler: handler as HttpEndpoint['handler'],
  ...options,
});
const timer = (name: string, scheduleSetting: ScheduleSetting, handler: TimerHandler): TimerDefinition => ({
  kind: 'timer',
  name,
  scheduleSetting,
  handler,
});

/** Runs a timer function now, for the interval since its schedule's previous occurrence. */
export function runTimer(definition: TimerDefinition, services: Services, log: Logger): Promise<void> {
  const schedule = services.config.schedules[definition.scheduleSetting];
  return definition.handler(services, log, { seconds: schedule.secondsSincePreviousOccurrence(services.clock.now()) });
}

/** Every function of the app, once. index.ts registers these with Azure; the local host serves them. */
export const definitions: readonly FunctionDefinition[] = [
  route('getProducts', getProducts),
  route('getProduct', getProduct),
  route('getRelatedProducts', getRelatedProducts),
  route('getTags', getTags),
  route('postOrder', postOrder),
  route('getOrder', getOrder),
  route('cancelOrder', cancelOrder),
  route('payOrder', payOrder),
  route('confirmPayment', confirmPayment),
  route('getPaymentSetup', getPaymentSetup),
  route('health', health),
  route('getOpenApi', getOpenApi),
  route('listMyOrders', listMyOrders),
  route('claimMyOrders', claimMyOrders),
  route('getCheckoutDefaults', getCheckoutDefaults),
  route('manageListOrders', manageListOrders),
  route('manageGetOrder', manageGetOrder),
  route('manageTransitionOrder', manageTransitionOrder),
  route('manageCancelOrder', manageCancelOrder),
  route('manageBulkOrders', manageBulkOrders),
  route('manageExportOrders', manageExportOrders),
  route('manageExportProducts', manageExportProducts),
  route('manageResendOrder', manageResendOrder),
  route('manageCreateProduct', manageCreateProduct),
  route('manageUpdateProduct', manageUpdateProduct),
  route('manageDeleteProduct', manageDeleteProduct),
  route('manageRestockProduct', manageRestockProduct),
  route('getImage', getImage),
  route('manageUploadImage', manageUploadImage),
  route('manageListDeadLetters', manageListDeadLetters),
  route('manageReplayDeadLetter', manageReplayDeadLetter),
  route('manageDiscardDeadLetter', manageDiscardDeadLetter),
  route('manageAuditLog', manageAuditLog),
  route('manageOverview', manageOverview),
  route('manageAiCapabilities', manageAiCapabilities, { durableClient: true }),
  route('manageAiDescription', manageAiDescription),
  route('manageAiImage', manageAiImage),
  route('manageGetProduct', manageGetProduct),
  route('manageAcceptDraft', manageAcceptDraft),
  route('manageDiscardDraft', manageDiscardDraft),
  route('manageAcceptDrafts', manageAcceptDrafts),
  route('manageStartEnrichment', manageStartEnrichment, { durableClient: true }),
  route('manageEnrichmentStatus', manageEnrichmentStatus, { durableClient: true }),
  { kind: 'orchestration', name: ENRICHMENT_ORCHESTRATION, orchestrator: enrichmentOrchestration },
  { kind: 'activity', name: ENRICH_PRODUCT_ACTIVITY, handler: enrichProduct },
  { kind: 'activity', name: RECORD_ENRICHMENT_ACTIVITY, handler: recordEnrichment },
  { kind: 'serviceBusQueue', name: 'makeline', queueName: ORDERS_QUEUE, connection: SERVICE_BUS_CONNECTION, handler: makeline },
  timer('outboxSweeper', 'OUTBOX_SWEEP_SCHEDULE', outboxSweeper),
  timer('virtualCustomer', 'VIRTUAL_ACTORS_SCHEDULE', virtualCustomer),
  timer('virtualWorker', 'VIRTUAL_ACTORS_SCHEDULE', virtualWorker),
];

/** Azure refuses function names and routes that begin with "admin"; so does the local host. */
export function refusedByAzure(definition: FunctionDefinition): string | null {
  if (/^admin/i.test(definition.name)) return `function name "${definition.name}" begins with "admin"`;
  if (definition.kind === 'http' && /^\/?admin/i.test(definition.contract.route)) {
    return `route "${definition.contract.route}" of ${definition.name} begins with "admin"`;
  }
  return null;
}
