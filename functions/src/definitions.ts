import type { CustomerHandler, EmployeeHandler, HttpEndpoint, HttpHandler, HttpMethod } from './http/types.js';
import { ORDERS_QUEUE, type QueueHandler, type TimerHandler } from './triggers.js';
import type { ScheduleSetting } from './config.js';
import { getProducts } from './functions/getProducts.js';
import { getProduct } from './functions/getProduct.js';
import { getRelatedProducts } from './functions/getRelatedProducts.js';
import { getTags } from './functions/getTags.js';
import { postOrder } from './functions/postOrder.js';
import { getOrder } from './functions/getOrder.js';
import { cancelOrder } from './functions/cancelOrder.js';
import { manageCancelOrder } from './functions/manageCancelOrder.js';
import { health } from './functions/health.js';
import { getOpenApi } from './functions/getOpenApi.js';
import { contract, type AdminRouteName, type Contract, type CustomerRouteName, type PublicRouteName, type RouteContract, type RouteName } from './http/contract/routes.js';
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
import { IMAGE_TYPES, MAX_IMAGE_BYTES } from './domain/images.js';
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
  name: string;
  methods: HttpMethod[];
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

/** The rate limit the route's contract entry names, for the pipeline to count. */
const rateLimitOf = (name: RouteName) => {
  const { rateLimit } = contract[name] as RouteContract;
  return rateLimit ? { rateLimit } : {};
};

/** The method and route must be those of the route's entry in the contract (http/contract/routes.ts), or this does not compile. */
const http = <N extends PublicRouteName>(name: N, methods: [Contract[N]['method']], route: Contract[N]['route'], handler: HttpHandler): HttpDefinition => ({
  kind: 'http',
  name,
  methods,
  route,
  ...rateLimitOf(name),
  handler,
});
/** An employee route: the pipeline lets only callers with the admin role through, and hands the handler who they are. */
const adminRoute = <N extends AdminRouteName>(name: N, methods: [Contract[N]['method']], route: Contract[N]['route'], handler: EmployeeHandler): HttpDefinition => ({
  kind: 'http',
  name,
  methods,
  route,
  role: 'admin',
  handler,
});
/** A signed-in customer's route: the pipeline lets only callers with the authenticated role through. */
const customerRoute = <N extends CustomerRouteName>(name: N, methods: [Contract[N]['method']], route: Contract[N]['route'], handler: CustomerHandler): HttpDefinition => ({
  kind: 'http',
  name,
  methods,
  route,
  role: 'authenticated',
  ...rateLimitOf(name),
  handler,
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
  http('getProducts', ['GET'], 'products', getProducts),
  http('getProduct', ['GET'], 'products/{id}', getProduct),
  http('getRelatedProducts', ['GET'], 'products/{id}/related', getRelatedProducts),
  http('getTags', ['GET'], 'tags', getTags),
  http('postOrder', ['POST'], 'orders', postOrder),
  http('getOrder', ['GET'], 'orders/{id}', getOrder),
  http('cancelOrder', ['POST'], 'orders/{id}/cancel', cancelOrder),
  http('health', ['GET'], 'health', health),
  http('getOpenApi', ['GET'], 'openapi.json', getOpenApi),
  customerRoute('listMyOrders', ['GET'], 'me/orders', listMyOrders),
  customerRoute('claimMyOrders', ['POST'], 'me/orders/claim', claimMyOrders),
  customerRoute('getCheckoutDefaults', ['GET'], 'me/checkout-defaults', getCheckoutDefaults),
  adminRoute('manageListOrders', ['GET'], 'manage/orders', manageListOrders),
  adminRoute('manageGetOrder', ['GET'], 'manage/orders/{id}', manageGetOrder),
  adminRoute('manageTransitionOrder', ['POST'], 'manage/orders/{id}/transitions', manageTransitionOrder),
  adminRoute('manageCancelOrder', ['POST'], 'manage/orders/{id}/cancel', manageCancelOrder),
  adminRoute('manageBulkOrders', ['POST'], 'manage/orders/bulk', manageBulkOrders),
  adminRoute('manageExportOrders', ['GET'], 'manage/exports/orders', manageExportOrders),
  adminRoute('manageExportProducts', ['GET'], 'manage/exports/products', manageExportProducts),
  adminRoute('manageResendOrder', ['POST'], 'manage/orders/{id}/resend', manageResendOrder),
  adminRoute('manageCreateProduct', ['POST'], 'manage/products', manageCreateProduct),
  adminRoute('manageUpdateProduct', ['PUT'], 'manage/products/{id}', manageUpdateProduct),
  adminRoute('manageDeleteProduct', ['DELETE'], 'manage/products/{id}', manageDeleteProduct),
  adminRoute('manageRestockProduct', ['POST'], 'manage/products/{id}/restock', manageRestockProduct),
  http('getImage', ['GET'], 'images/{id}', getImage),
  {
    ...adminRoute('manageUploadImage', ['POST'], 'manage/images', manageUploadImage),
    maxBodyBytes: MAX_IMAGE_BYTES,
    // The picture's own bytes: types no other site's form or no-cors fetch can send.
    bodyTypes: ['application/octet-stream', ...IMAGE_TYPES],
  },
  adminRoute('manageListDeadLetters', ['GET'], 'manage/deadletters', manageListDeadLetters),
  adminRoute('manageReplayDeadLetter', ['POST'], 'manage/deadletters/{sequenceNumber}/replay', manageReplayDeadLetter),
  adminRoute('manageDiscardDeadLetter', ['DELETE'], 'manage/deadletters/{sequenceNumber}', manageDiscardDeadLetter),
  adminRoute('manageAuditLog', ['GET'], 'manage/audit', manageAuditLog),
  adminRoute('manageOverview', ['GET'], 'manage/overview', manageOverview),
  { ...adminRoute('manageAiCapabilities', ['GET'], 'manage/ai/capabilities', manageAiCapabilities), durableClient: true },
  adminRoute('manageAiDescription', ['POST'], 'manage/ai/description', manageAiDescription),
  adminRoute('manageAiImage', ['POST'], 'manage/ai/image', manageAiImage),
  adminRoute('manageGetProduct', ['GET'], 'manage/products/{id}', manageGetProduct),
  adminRoute('manageAcceptDraft', ['POST'], 'manage/products/{id}/draft/accept', manageAcceptDraft),
  adminRoute('manageDiscardDraft', ['DELETE'], 'manage/products/{id}/draft', manageDiscardDraft),
  adminRoute('manageAcceptDrafts', ['POST'], 'manage/drafts/accept', manageAcceptDrafts),
  { ...adminRoute('manageStartEnrichment', ['POST'], 'manage/enrichment', manageStartEnrichment), durableClient: true },
  { ...adminRoute('manageEnrichmentStatus', ['GET'], 'manage/enrichment/{id}', manageEnrichmentStatus), durableClient: true },
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
  if (definition.kind === 'http' && /^\/?admin/i.test(definition.route)) {
    return `route "${definition.route}" of ${definition.name} begins with "admin"`;
  }
  return null;
}
