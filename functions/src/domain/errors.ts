import { changeVersion } from './notices.js';
import { MAX_STOCK } from './product.js';

/**
 * What went wrong, in the store's words. The HTTP layer maps each kind to a status;
 * the domain never speaks HTTP.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  /** A payment the card's issuer or the provider refused (402). */
  | 'payment_required'
  | 'unprocessable'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unavailable'
  /** One client sent more of some request than its limit allows (429). */
  | 'rate_limited'
  /** A service the store depends on did not answer in time (504). */
  | 'timeout';

export interface ErrorDetail {
  path?: string;
  message: string;
  [key: string]: unknown;
}

export interface StoreErrorOptions {
  /** The failure behind this one, kept for the log. */
  cause?: unknown;
  /**
   * Set when the failure is passing (a full disk, a busy store): the same request may succeed
   * later, and this says how many seconds to wait before trying (HTTP's Retry-After).
   */
  retryAfterSeconds?: number;
}

export class StoreError extends Error {
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    { cause, retryAfterSeconds }: StoreErrorOptions = {},
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StoreError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/*
 * One constructor for each error the store raises, named after what happened, so that the same
 * error (its kind, code and wording, which clients and tests rely on) is written down once.
 * Nothing else calls `new StoreError`.
 */

// The request itself
export const invalidRequest = (where: string, details: ErrorDetail[]) =>
  new StoreError('invalid', 'validation_failed', `The request ${where} is not valid.`, details);

export const invalidJson = (reason: string) =>
  new StoreError('invalid', 'invalid_json', 'The body is not valid JSON.', [{ path: '(body)', message: reason.slice(0, 200) }]);

/** A key twice in one object: which one counts would depend on who reads the body. */
export const duplicateKey = (path: string) =>
  new StoreError('invalid', 'duplicate_key', 'The body names the same key twice in one object.', [{ path, message: 'appears more than once' }]);

export const invalidIdempotencyKey = (details: ErrorDetail[]) =>
  new StoreError('invalid', 'invalid_idempotency_key', 'The Idempotency-Key header is not valid.', details);

export const unknownCursor = () =>
  new StoreError('invalid', 'invalid_cursor', 'The cursor is not one this API returned.', [{ path: 'cursor', message: 'unknown cursor' }]);

// Who is asking
export const unreadablePrincipal = () =>
  new StoreError('unauthenticated', 'invalid_principal', 'The client principal header could not be read.');

/** A caller with no principal on a route that needs `role`: employees and customers are told what to sign in for. */
export const notSignedIn = (role: 'admin' | 'authenticated') =>
  new StoreError('unauthenticated', 'unauthenticated', role === 'admin' ? 'Sign in to use the employee API.' : 'Sign in to use your account.');

export const missingRole = (role: string) => new StoreError('forbidden', 'forbidden', `This route needs the ${role} role.`);

// Orders
export const orderKeptChanging = (orderId: string, doing: 'claimed' | 'cancelled' | 'paid' | 'moved') =>
  new StoreError('conflict', 'order_busy', `Order ${orderId} kept changing while it was being ${doing}; try again.`);

export const notCancellable = (status: string) =>
  new StoreError('conflict', 'not_cancellable', `This order can no longer be cancelled. ${status === 'processing' ? 'It is already being prepared.' : `It is already ${status}.`}`, [
    { path: 'status', message: 'only a received or pending order can be cancelled', status },
  ]);

/** A signed-in customer's order, acted on by someone else: the account that placed it alone may. */
export const notYourOrder = () =>
  new StoreError('forbidden', 'not_your_order', 'This order belongs to another account; sign in with the account that placed it.');

export const orderNotFound = (orderId: string) => new StoreError('not_found', 'order_not_found', `No order ${orderId}.`);

export const idempotencyKeyReused = () =>
  new StoreError('unprocessable', 'idempotency_key_reused', 'This Idempotency-Key was already used for a different order.');

export const unknownProducts = (details: ErrorDetail[]) =>
  new StoreError('unprocessable', 'unknown_product', 'Some products in the order do not exist.', details);

export const outOfStock = (details: ErrorDetail[]) =>
  new StoreError('conflict', 'out_of_stock', 'Some products in the order are out of stock.', details);

export const illegalTransition = (from: string, to: string, allowed: readonly string[]) =>
  new StoreError('conflict', 'illegal_transition', `An order that is ${from} cannot become ${to}.`, [
    { message: `allowed from ${from}: ${allowed.join(', ') || 'none'}`, from, to },
  ]);

export const notAnEmployeeMove = (to: string) =>
  new StoreError('conflict', 'illegal_transition', `Employees cannot move an order to ${to}.${to === 'cancelled' ? ' Cancel it with POST /api/manage/orders/{id}/cancel, giving the customer a reason.' : ''}`);

export const orderChangedFirst = (current: { version: number; noticeWrites?: number; status: string }) =>
  new StoreError('conflict', 'stale_version', 'Someone else changed this order first; reload it and try again.', [
    { path: 'version', message: `the order is now at version ${changeVersion(current)}`, current: changeVersion(current), status: current.status },
  ]);

// Payments
export const invalidCard = (details: ErrorDetail[]) =>
  new StoreError('invalid', 'invalid_card', `The card details are not valid: ${details.map((detail) => `${detail.path} ${detail.message}`).join('; ')}.`, details);

/** The demo provider takes a card in the request; Stripe takes it in the browser, never here. */
export const cardNotExpected = (provider: string) =>
  new StoreError('invalid', 'card_not_taken', `This store takes cards through ${provider} in the browser; send no card details here.`, [{ path: 'card', message: 'not taken' }]);

export const cardRequired = () =>
  new StoreError('invalid', 'card_required', 'Give the card to pay with.', [{ path: 'card', message: 'is required' }]);

export const paymentDeclined = (message: string) => new StoreError('payment_required', 'payment_declined', message);

export const alreadyPaid = () => new StoreError('conflict', 'already_paid', 'This order is paid for already.');

export const notPayable = (status: string) =>
  new StoreError('conflict', 'not_payable', `This order cannot be paid for: it is ${status.replace('_', ' ')}.`, [{ path: 'status', message: 'only an order awaiting payment can be paid', status }]);

export const nothingToConfirm = () =>
  new StoreError('conflict', 'nothing_to_confirm', 'This order has no payment waiting for your confirmation.');

export const paymentInProgress = () =>
  new StoreError('conflict', 'payment_in_progress', 'A payment for this order is being decided right now; try again in a moment.');

/** Paying after the hold expired, when the stock went to someone else meanwhile. */
export const insufficientStock = (details: Array<{ productId: string; name: string; available: number }>) =>
  new StoreError(
    'conflict',
    'insufficient_stock',
    `While this order waited for payment, its stock went to other orders: ${details.map((item) => `${item.name} (${item.available} left)`).join(', ')}. Change the order and place it again.`,
    details.map((item) => ({ ...item, message: `${item.available} left` })),
  );

export const notReceived = (status: string) =>
  new StoreError('conflict', 'not_received', `Only a received order can be sent to the makeline again; this one is ${status}.`);

export const deadLetterNotFound = (sequenceNumber: string) =>
  new StoreError('not_found', 'dead_letter_not_found', `No dead letter ${sequenceNumber}; someone may have settled it already.`);

// Products and their drafts
export const productNotFound = (id: string) => new StoreError('not_found', 'product_not_found', `No product ${id}.`);

export const stockLimitReached = (quantity: number) =>
  new StoreError('unprocessable', 'stock_limit', `Adding ${quantity} would take the stock past ${MAX_STOCK}.`, [
    { path: 'quantity', message: `at most ${MAX_STOCK} in stock` },
  ]);

export const productDeletedMeanwhile = (id: string) =>
  new StoreError('not_found', 'product_not_found', `Product ${id} was deleted meanwhile.`);

export const productChangedFirst = (current: number) =>
  new StoreError('conflict', 'stale_version', 'Someone else changed this product first; reload it and try again.', [
    { path: 'version', message: 'stale version', current },
  ]);

export const draftNotFound = (id: string) => new StoreError('not_found', 'draft_not_found', `Product ${id} has no draft to accept.`);

// Pictures
export const imageNotFound = (id: string) => new StoreError('not_found', 'image_not_found', `No image ${id}.`);

export const emptyImage = () => new StoreError('invalid', 'empty_image', 'Send the picture as the request body.');

export const notAnImage = () => new StoreError('unsupported_media_type', 'not_an_image', 'That file is not a PNG or JPEG picture.');

export const webpImage = () =>
  new StoreError('unsupported_media_type', 'unsupported_image_type', 'WebP pictures are not accepted; save it as PNG or JPEG.');

export const brokenImage = (what: string, reason: string) =>
  new StoreError('unprocessable', 'broken_image', `That ${what} is not a whole, valid picture; export it again and retry.`, [
    { message: reason.slice(0, 200) },
  ]);

export const tooManyPixels = (width: number, height: number, maxPixels: number) =>
  new StoreError('unprocessable', 'image_too_large', `The picture is ${width} × ${height} pixels; at most 4096 × 4096 (${maxPixels} pixels) are accepted.`);

export const interlacedPng = () =>
  new StoreError('unprocessable', 'interlaced_png', 'Interlaced PNG pictures are not accepted; save it again without interlacing.');

export const imageHostNotAllowed = (message: string) =>
  new StoreError('invalid', 'image_url_not_allowed', message, [{ path: 'imageUrl', message }]);

// AI help and bulk enrichment
export const aiNotConfigured = (reason: string) => new StoreError('unavailable', 'ai_not_configured', reason);

export const aiUnavailable = (message: string, cause?: unknown) => new StoreError('unavailable', 'ai_unavailable', message, [], { cause });

export const aiBusy = (message: string, cause: unknown, details: ErrorDetail[]) =>
  new StoreError('unavailable', 'ai_busy', message, details, { cause });

export const aiBadResponse = (message: string, cause?: unknown) => new StoreError('unavailable', 'ai_bad_response', message, [], { cause });

export const aiTimedOut = (timeoutMs: number, cause?: unknown) =>
  new StoreError('timeout', 'ai_timeout', `The AI service did not answer within ${Math.round(timeoutMs / 1000)} s. Try again later.`, [], { cause });

export const aiCancelled = () => new StoreError('unavailable', 'ai_cancelled', 'The AI request was cancelled.');

export const contentFiltered = (cause?: unknown) =>
  new StoreError(
    'unprocessable',
    'content_filtered',
    "The AI service's content filter declined this request. Change the product's name, tags or description and try again.",
    [],
    { cause },
  );

/** Also the reason the admin page is given for not offering bulk enrichment. */
export const ENRICHMENT_UNAVAILABLE =
  'Bulk enrichment runs on the local host (npm start) or under the Azure Functions host with the Durable Task extension and ENRICHMENT_ENABLED=true; it is not available here.';

export const enrichmentUnavailable = () => new StoreError('unavailable', 'enrichment_unavailable', ENRICHMENT_UNAVAILABLE);

export const nothingToEnrich = (missing: 'an image' | 'a description') =>
  new StoreError('unprocessable', 'nothing_to_enrich', `No product is without ${missing}.`);

export const enrichmentNotFound = (id: string) => new StoreError('not_found', 'enrichment_not_found', `No enrichment job ${id}.`);

// The store's own storage: passing failures, with how long to wait
export const storeFull = (cause: unknown) =>
  new StoreError('unavailable', 'store_full', "The store's disk is full, so nothing can be saved right now. Try again later.", [], {
    cause,
    retryAfterSeconds: 30,
  });

export const storeIoError = (cause: unknown) =>
  new StoreError('unavailable', 'store_io_error', 'The store cannot use its disk right now. Try again later.', [], { cause, retryAfterSeconds: 30 });

export const storeBusy = (cause: unknown, retryAfterSeconds = 1) =>
  new StoreError('unavailable', 'store_busy', 'The store is busy. Try again in a moment.', [], { cause, retryAfterSeconds });

export const rateLimited = (what: string, limit: number, windowSeconds: number, retryAfterSeconds: number) =>
  new StoreError(
    'rate_limited',
    'rate_limited',
    `Too many ${what} from you: at most ${limit} every ${windowSeconds} s. Try again in ${retryAfterSeconds} s.`,
    [{ message: `limit ${limit} per ${windowSeconds} s`, limit, windowSeconds }],
    { retryAfterSeconds },
  );

export const orderTooLarge = (details: ErrorDetail[]) =>
  new StoreError('invalid', 'order_too_large', `This order is larger than one order may be: ${details.map((detail) => detail.message).join('; ')}.`, details);

export const wrongClaimToken = (orderId: string) =>
  new StoreError('forbidden', 'claim_token_mismatch', 'Only the browser that placed a guest order can claim it.', [
    { path: 'orders', message: `order ${orderId}: missing or wrong claim token` },
  ]);

// Payments

/** A webhook whose signature is missing, malformed, stale or not made with the endpoint's secret. */
export const invalidSignature = (reason: string) =>
  new StoreError('invalid', 'invalid_signature', 'The webhook signature could not be verified.', [{ path: 'stripe-signature', message: reason.slice(0, 200) }]);

/** The webhook of a provider the store does not use. */
export const noPaymentWebhook = (provider: string) =>
  new StoreError('not_found', 'no_payment_webhook', `Payments go through the ${provider} provider, which sends no webhooks here.`);

/** The payment provider could not be reached or failed: nothing was decided, the same request may be sent again. */
export const paymentProviderUnavailable = (cause: unknown) =>
  new StoreError('unavailable', 'payment_provider_unavailable', 'The payment service did not answer; try again in a moment.', [], { cause, retryAfterSeconds: 5 });
