import type { z } from 'zod';
import { IMAGE_TYPES, MAX_IMAGE_BYTES } from '../../domain/images.js';
import type { Principal } from '../../ports.js';
import type { Role } from '../principal.js';
import * as request from '../../domain/schemas.js';
import * as reply from './responses.js';
import type { RateLimitName } from '../../domain/rateLimit.js';

/** A reply's schema, or null for an empty body (204) or one that is not JSON. */
type ReplySchema = z.ZodType | null;

/**
 * One route, declared once: the function table registers it (definitions.ts), the pipeline
 * enforces it (http/pipeline.ts), the OpenAPI document describes it, and the handler's input and
 * reply types come from it. A new per-route property goes here and is read where it acts.
 */
export interface RouteContract {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Below /api/, e.g. "orders/{id}"; a request must spell it exactly. */
  route: string;
  /** Only callers with this Static Web Apps role reach the handler: the pipeline answers 401 or 403 first. */
  role?: Role;
  /** One client may send only so many of these (domain/rateLimit.ts); the pipeline answers 429 past it. */
  rateLimit?: RateLimitName;
  summary: string;
  /** The pipeline parses the path parameters, query and JSON body with these before the handler runs. */
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** A body of raw bytes in one of these media types instead of JSON (no other site's form can send them). */
  rawBody?: readonly string[];
  /** Larger bodies get 413; MAX_BODY_BYTES (http/types.ts) unless the route needs more. */
  maxBodyBytes?: number;
  /** A reply of raw bytes (a picture) instead of JSON. */
  rawReply?: string;
  /** The replies other than errors, by status; the lowest is the success the examples expect. */
  replies: Partial<Record<200 | 201 | 202 | 204 | 503, ReplySchema>>;
}

const admin = 'admin' as const satisfies Role;
const signedIn = 'authenticated' as const satisfies Role;

/**
 * Every HTTP route of the API by function name: method, route, role, what it validates and what
 * it answers. definitions.ts pairs each name with its handler, typed from its entry here.
 */
export const contract = {
  getProducts: { method: 'GET', route: 'products', rateLimit: 'searches', summary: 'A page of the catalog, searched by q and/or tag.', query: request.productQuery, replies: { 200: reply.productPage } },
  getProduct: { method: 'GET', route: 'products/{id}', summary: 'One product, with how many of it one order may hold.', params: request.idParams, replies: { 200: reply.productForSale } },
  getRelatedProducts: { method: 'GET', route: 'products/{id}/related', summary: 'Up to four in-stock products that share tags with this one, most shared first.', params: request.idParams, replies: { 200: reply.relatedProductList } },
  getTags: { method: 'GET', route: 'tags', summary: 'Every tag in the catalog.', replies: { 200: reply.tagList } },
  postOrder: { method: 'POST', route: 'orders', rateLimit: 'orders', summary: 'Places an order awaiting payment, holding its stock (rejected at once when short); with `payment` it is paid in the same call. An Idempotency-Key header makes a retry safe.', body: request.placeOrderBody, replies: { 202: reply.placedOrder } },
  getOrder: { method: 'GET', route: 'orders/{id}', summary: 'An order as its customer follows it.', params: request.idParams, replies: { 200: reply.linkedOrder } },
  health: { method: 'GET', route: 'health', summary: 'Each dependency\'s status and latency; 503 (same shape) when one is down.', replies: { 200: reply.health, 503: reply.health } },
  cancelOrder: { method: 'POST', route: 'orders/{id}/cancel', rateLimit: 'cancels', summary: 'The customer cancels an order nobody has started; its stock returns.', params: request.idParams, replies: { 200: reply.linkedOrder } },
  payOrder: { method: 'POST', route: 'orders/{id}/payment', rateLimit: 'payments', summary: 'Pays for an order awaiting payment: a demo card, or nothing with Stripe (then answers a clientSecret); 402 when declined.', params: request.idParams, body: request.payOrderBody, replies: { 200: reply.paidOrder } },
  confirmPayment: { method: 'POST', route: 'orders/{id}/payment/confirm', rateLimit: 'payments', summary: 'The customer approves (or not) a payment that asked for a second step (the demo provider\'s 3-D Secure card).', params: request.idParams, body: request.confirmPaymentBody, replies: { 200: reply.linkedOrder } },
  getPaymentSetup: { method: 'GET', route: 'payments/setup', summary: 'Who takes payments and what the checkout needs: the demo\'s test cards, or Stripe\'s publishable key.', replies: { 200: reply.paymentSetup } },
  getOpenApi: { method: 'GET', route: 'openapi.json', summary: 'This document.', replies: { 200: reply.openApi } },
  listMyOrders: { method: 'GET', route: 'me/orders', role: signedIn, summary: 'The signed-in customer\'s orders, newest first.', query: request.pageQuery, replies: { 200: reply.orderPage } },
  claimMyOrders: { method: 'POST', route: 'me/orders/claim', role: signedIn, rateLimit: 'claims', summary: 'Makes guest orders placed in this browser the signed-in customer\'s; another account\'s are refused.', body: request.claimOrdersBody, replies: { 200: reply.claimedOrders } },
  getCheckoutDefaults: { method: 'GET', route: 'me/checkout-defaults', role: signedIn, summary: 'What the checkout fills in: the details of the customer\'s newest order.', replies: { 200: reply.checkoutDefaults } },
  getImage: { method: 'GET', route: 'images/{id}', summary: 'A stored product picture.', params: request.idParams, rawReply: 'image/*', replies: { 200: null } },
  manageListOrders: { method: 'GET', route: 'manage/orders', role: admin, summary: 'The order board, newest first, by status.', query: request.manageOrdersQuery, replies: { 200: reply.orderPage } },
  manageGetOrder: { method: 'GET', route: 'manage/orders/{id}', role: admin, summary: 'One order.', params: request.idParams, replies: { 200: reply.order } },
  manageTransitionOrder: { method: 'POST', route: 'manage/orders/{id}/transitions', role: admin, summary: 'Moves an order to another status, guarded by its version.', params: request.idParams, body: request.transitionBody, replies: { 200: reply.order } },
  manageCancelOrder: { method: 'POST', route: 'manage/orders/{id}/cancel', role: admin, summary: 'An employee cancels an order nobody has started, with a reason the customer reads.', params: request.idParams, body: request.employeeCancelBody, replies: { 200: reply.order } },
  manageBulkOrders: { method: 'POST', route: 'manage/orders/bulk', role: admin, summary: 'Starts, completes or cancels (one reason for all) many orders, each decided alone and audited; answers what became of each.', body: request.bulkOrdersBody, replies: { 200: reply.bulkOutcomes } },
  manageExportOrders: { method: 'GET', route: 'manage/exports/orders', role: admin, summary: 'The orders placed from one day to another (UTC, both included) as CSV, streamed.', query: request.orderExportQuery, rawReply: 'text/csv', replies: { 200: null } },
  manageExportProducts: { method: 'GET', route: 'manage/exports/products', role: admin, summary: 'The whole catalog as CSV, streamed.', rawReply: 'text/csv', replies: { 200: null } },
  manageResendOrder: { method: 'POST', route: 'manage/orders/{id}/resend', role: admin, summary: 'Sends a stuck received order to the makeline again.', params: request.idParams, replies: { 202: reply.order } },
  manageCreateProduct: { method: 'POST', route: 'manage/products', role: admin, summary: 'Adds a product.', body: request.productDraftBody, replies: { 201: reply.product } },
  manageGetProduct: { method: 'GET', route: 'manage/products/{id}', role: admin, summary: 'One product, with its AI draft if any.', params: request.idParams, replies: { 200: reply.adminProduct } },
  manageUpdateProduct: { method: 'PUT', route: 'manage/products/{id}', role: admin, summary: 'Replaces a product, guarded by its version.', params: request.idParams, body: request.productUpdateBody, replies: { 200: reply.product } },
  manageRestockProduct: { method: 'POST', route: 'manage/products/{id}/restock', role: admin, summary: 'Adds to a product\'s stock as one atomic increment, beside orders reserving it; answers the product as employees see it, draft included.', params: request.idParams, body: request.restockBody, replies: { 200: reply.adminProduct } },
  manageDeleteProduct: { method: 'DELETE', route: 'manage/products/{id}', role: admin, summary: 'Deletes a product.', params: request.idParams, replies: { 204: null } },
  manageUploadImage: { method: 'POST', route: 'manage/images', role: admin, summary: 'Stores a picture sent as the body (PNG, JPEG or WebP; checked by decoding).', rawBody: ['application/octet-stream', ...IMAGE_TYPES], maxBodyBytes: MAX_IMAGE_BYTES, replies: { 201: reply.storedImage } },
  manageListDeadLetters: { method: 'GET', route: 'manage/deadletters', role: admin, summary: 'Messages the makeline gave up on, oldest first.', query: request.pageQuery, replies: { 200: reply.deadLetterPage } },
  manageReplayDeadLetter: { method: 'POST', route: 'manage/deadletters/{sequenceNumber}/replay', role: admin, summary: 'Sends a dead letter to the queue again.', params: request.sequenceParams, replies: { 200: reply.replayedDeadLetter } },
  manageDiscardDeadLetter: { method: 'DELETE', route: 'manage/deadletters/{sequenceNumber}', role: admin, summary: 'Removes a dead letter for good.', params: request.sequenceParams, replies: { 204: null } },
  manageAuditLog: { method: 'GET', route: 'manage/audit', role: admin, summary: 'Who changed what, newest first.', query: request.pageQuery, replies: { 200: reply.auditPage } },
  manageOverview: { method: 'GET', route: 'manage/overview', role: admin, summary: 'The dashboard: orders per minute, board counts, stuck orders, queue and health.', replies: { 200: reply.overview } },
  manageAiCapabilities: { method: 'GET', route: 'manage/ai/capabilities', role: admin, summary: 'What AI help is available, and why not.', replies: { 200: reply.aiCapabilities } },
  manageAiDescription: { method: 'POST', route: 'manage/ai/description', role: admin, summary: 'Drafts a product description; nothing is stored.', body: request.aiDescriptionBody, replies: { 200: reply.descriptionDraft } },
  manageAiImage: { method: 'POST', route: 'manage/ai/image', role: admin, summary: 'Draws and stores a product picture; the product is untouched.', body: request.aiImageBody, replies: { 201: reply.drawnImage } },
  manageAcceptDraft: { method: 'POST', route: 'manage/products/{id}/draft/accept', role: admin, summary: 'Takes a product\'s draft (all or named fields) into it.', params: request.idParams, body: request.draftAcceptBody, replies: { 200: reply.product } },
  manageDiscardDraft: { method: 'DELETE', route: 'manage/products/{id}/draft', role: admin, summary: 'Drops a product\'s draft.', params: request.idParams, replies: { 204: null } },
  manageAcceptDrafts: { method: 'POST', route: 'manage/drafts/accept', role: admin, summary: 'Accepts the whole draft of each product named; each has its own outcome.', body: request.draftsAcceptBody, replies: { 200: reply.draftsAccepted } },
  manageStartEnrichment: { method: 'POST', route: 'manage/enrichment', role: admin, summary: 'Starts a bulk AI enrichment job (Durable Functions on Azure, the local host\'s own engine under npm start).', body: request.enrichmentStartBody, replies: { 202: reply.enrichmentStarted } },
  manageEnrichmentStatus: { method: 'GET', route: 'manage/enrichment/{id}', role: admin, summary: 'Where an enrichment job is.', params: request.enrichmentParams, replies: { 200: reply.enrichmentStatus } },
} as const satisfies Record<string, RouteContract>;

export type Contract = typeof contract;
export type RouteName = keyof Contract;

type Schema<N extends RouteName, K extends 'params' | 'query' | 'body'> = Contract[N] extends { [P in K]: infer S extends z.ZodType } ? S : never;
/** What the pipeline hands the handler for one input of a route, parsed; undefined when the route reads none. */
type Parsed<N extends RouteName, K extends 'params' | 'query' | 'body'> = [Schema<N, K>] extends [never] ? undefined : z.output<Schema<N, K>>;

/** What a client sends as the body of a route (before defaults and trimming). */
export type BodyOf<N extends RouteName> = [Schema<N, 'body'>] extends [never] ? never : z.input<Schema<N, 'body'>>;

type Replies<N extends RouteName> = Contract[N]['replies'];
type BodyAt<N extends RouteName, S extends keyof Replies<N>> = Replies<N>[S] extends infer T extends z.ZodType ? z.output<T> : undefined;
/** What a route answers on success: the body of any of its replies. */
export type ReplyOf<N extends RouteName> = { [S in keyof Replies<N>]: BodyAt<N, S> }[keyof Replies<N>];

/** A picture or other bytes, sent as they are; an export as chunks, sent as they are read. */
export interface RawReply {
  bytes: Uint8Array | AsyncIterable<Uint8Array>;
  contentType: string;
}

/**
 * What route N's handler returns: one of the route's statuses with a body its schema types (raw
 * bytes for a route that answers them, nothing for 204), so a reply that does not fit fails tsc.
 */
export type RouteReply<N extends RouteName> = {
  [S in keyof Replies<N>]: { status: S; headers?: Record<string, string> } & (Replies<N>[S] extends z.ZodType
    ? { body: BodyAt<N, S> }
    : Contract[N] extends { rawReply: string }
      ? { raw: RawReply }
      : { body?: undefined });
}[keyof Replies<N>];

/** What route N's handler receives: the request's headers and bytes, its inputs as the route's schemas parsed them, and who calls a route that needs a role. */
export interface RouteInput<N extends RouteName> {
  params: Parsed<N, 'params'>;
  query: Parsed<N, 'query'>;
  body: Parsed<N, 'body'>;
  principal: Contract[N] extends { role: Role } ? Principal : undefined;
}
