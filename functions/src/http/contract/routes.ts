import type { z } from 'zod';
import { IMAGE_TYPES } from '../../domain/images.js';
import * as request from '../../domain/schemas.js';
import * as reply from './responses.js';
import type { RateLimitName } from '../../domain/rateLimit.js';

/** A reply's schema, or null for an empty body (204) or one that is not JSON. */
type ReplySchema = z.ZodType | null;

export interface RouteContract {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** As in the function table: below /api/, e.g. "orders/{id}". */
  route: string;
  /** Only callers with this Static Web Apps role get past the pipeline (adminRoute in definitions.ts). */
  role?: 'admin' | 'authenticated';
  /** One client may send only so many of these (domain/rateLimit.ts); the pipeline answers 429 past it. */
  rateLimit?: RateLimitName;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** A JSON body, validated with this schema. */
  body?: z.ZodType;
  /** A body of raw bytes in one of these media types instead of JSON. */
  rawBody?: readonly string[];
  /** A reply of raw bytes (a picture) instead of JSON. */
  rawReply?: string;
  /** The replies other than errors, by status; the lowest is the success the examples expect. */
  replies: Partial<Record<200 | 201 | 202 | 204 | 503, ReplySchema>>;
}

const admin = 'admin' as const;
const signedIn = 'authenticated' as const;

/**
 * Every HTTP route of the API by function name: method, route, what it validates and what it
 * answers. definitions.ts declares each route against its entry here (the types make a
 * different method or route fail to compile); the OpenAPI document is generated from it.
 */
export const contract = {
  getProducts: { method: 'GET', route: 'products', rateLimit: 'searches', summary: 'A page of the catalog, searched by q and/or tag.', query: request.productQuery, replies: { 200: reply.productPage } },
  getProduct: { method: 'GET', route: 'products/{id}', summary: 'One product, with how many of it one order may hold.', params: request.idParams, replies: { 200: reply.productForSale } },
  getRelatedProducts: { method: 'GET', route: 'products/{id}/related', summary: 'Up to four in-stock products that share tags with this one, most shared first.', params: request.idParams, replies: { 200: reply.relatedProductList } },
  getTags: { method: 'GET', route: 'tags', summary: 'Every tag in the catalog.', replies: { 200: reply.tagList } },
  postOrder: { method: 'POST', route: 'orders', rateLimit: 'orders', summary: 'Places an order; an Idempotency-Key header makes a retry safe.', body: request.placeOrderBody, replies: { 202: reply.placedOrder } },
  getOrder: { method: 'GET', route: 'orders/{id}', summary: 'An order as its customer follows it.', params: request.idParams, replies: { 200: reply.linkedOrder } },
  health: { method: 'GET', route: 'health', summary: 'Each dependency\'s status and latency; 503 (same shape) when one is down.', replies: { 200: reply.health, 503: reply.health } },
  cancelOrder: { method: 'POST', route: 'orders/{id}/cancel', rateLimit: 'cancels', summary: 'The customer cancels an order nobody has started; its stock returns.', params: request.idParams, replies: { 200: reply.linkedOrder } },
  getOpenApi: { method: 'GET', route: 'openapi.json', summary: 'This document.', replies: { 200: null } },
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
  manageUploadImage: { method: 'POST', route: 'manage/images', role: admin, summary: 'Stores a picture sent as the body (PNG, JPEG or WebP; checked by decoding).', rawBody: ['application/octet-stream', ...IMAGE_TYPES], replies: { 201: reply.storedImage } },
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
export type AdminRouteName = { [N in RouteName]: Contract[N] extends { role: 'admin' } ? N : never }[RouteName];
export type CustomerRouteName = { [N in RouteName]: Contract[N] extends { role: 'authenticated' } ? N : never }[RouteName];
export type PublicRouteName = Exclude<RouteName, AdminRouteName | CustomerRouteName>;

/** What a client sends as the body of a route (before defaults and trimming). */
export type BodyOf<N extends RouteName> = Contract[N] extends { body: infer S extends z.ZodType } ? z.input<S> : never;
/** What a route answers on success. */
export type ReplyOf<N extends RouteName> = {
  [S in keyof Contract[N]['replies']]: Contract[N]['replies'][S] extends infer T extends z.ZodType ? z.output<T> : undefined;
}[keyof Contract[N]['replies']];
