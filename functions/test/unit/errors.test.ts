import { describe, expect, it } from 'vitest';
import * as errors from '../../src/domain/errors.js';
import { StoreError, type ErrorKind } from '../../src/domain/errors.js';

/**
 * What a client is told when something goes wrong: the kind (the pipeline makes it the HTTP
 * status), the code it branches on (docs/api.md lists them) and a message a person can act on.
 * The tables hold functions that raise the error inside the test, so mutation testing counts the
 * test as covering the constructor (a value built while the file loads is covered by no test).
 */
describe('the errors the store raises', () => {
  const cause = new Error('disk I/O error');
  it.each<[string, () => StoreError, ErrorKind, string, string | RegExp]>([
    ['a body that fails its schema', () => errors.invalidRequest('body', [{ path: 'items', message: 'required' }]), 'invalid', 'validation_failed', 'The request body is not valid.'],
    ['a body that is not JSON', () => errors.invalidJson('Unexpected token'), 'invalid', 'invalid_json', 'The body is not valid JSON.'],
    ['a bad Idempotency-Key', () => errors.invalidIdempotencyKey([]), 'invalid', 'invalid_idempotency_key', 'The Idempotency-Key header is not valid.'],
    ['a cursor the API never gave', () => errors.unknownCursor(), 'invalid', 'invalid_cursor', 'The cursor is not one this API returned.'],
    ['an unreadable principal', () => errors.unreadablePrincipal(), 'unauthenticated', 'invalid_principal', 'The client principal header could not be read.'],
    ['an employee route, signed out', () => errors.notSignedIn('admin'), 'unauthenticated', 'unauthenticated', 'Sign in to use the employee API.'],
    ['a customer route, signed out', () => errors.notSignedIn('authenticated'), 'unauthenticated', 'unauthenticated', 'Sign in to use your account.'],
    ['a missing role', () => errors.missingRole('admin'), 'forbidden', 'forbidden', 'This route needs the admin role.'],
    ['an order that kept changing', () => errors.orderKeptChanging('o1', 'cancelled'), 'conflict', 'order_busy', 'Order o1 kept changing while it was being cancelled; try again.'],
    ['cancelling an order being prepared', () => errors.notCancellable('processing'), 'conflict', 'not_cancellable', 'This order can no longer be cancelled. It is already being prepared.'],
    ['cancelling a completed order', () => errors.notCancellable('completed'), 'conflict', 'not_cancellable', 'This order can no longer be cancelled. It is already completed.'],
    ["another account's order", () => errors.notYourOrder(), 'forbidden', 'not_your_order', 'This order belongs to another account; sign in with the account that placed it.'],
    ['an unknown order', () => errors.orderNotFound('o1'), 'not_found', 'order_not_found', 'No order o1.'],
    ['a key reused for another order', () => errors.idempotencyKeyReused(), 'unprocessable', 'idempotency_key_reused', 'This Idempotency-Key was already used for a different order.'],
    ['unknown products', () => errors.unknownProducts([]), 'unprocessable', 'unknown_product', 'Some products in the order do not exist.'],
    ['too little stock', () => errors.outOfStock([]), 'conflict', 'out_of_stock', 'Some products in the order are out of stock.'],
    ['a card that is not valid', () => errors.invalidCard([{ path: 'card.cvc', message: 'must be 3 or 4 digits' }]), 'invalid', 'invalid_card', 'The card details are not valid: card.cvc must be 3 or 4 digits.'],
    ['a card sent to a provider that takes it in the browser', () => errors.cardNotExpected('stripe'), 'invalid', 'card_not_taken', 'This store takes cards through stripe in the browser; send no card details here.'],
    ['no card for the demo provider', () => errors.cardRequired(), 'invalid', 'card_required', 'Give the card to pay with.'],
    ['a declined payment', () => errors.paymentDeclined('Your card was declined.'), 'payment_required', 'payment_declined', 'Your card was declined.'],
    ['paying twice', () => errors.alreadyPaid(), 'conflict', 'already_paid', 'This order is paid for already.'],
    ['paying a cancelled order', () => errors.notPayable('cancelled'), 'conflict', 'not_payable', 'This order cannot be paid for: it is cancelled.'],
    ['confirming nothing', () => errors.nothingToConfirm(), 'conflict', 'nothing_to_confirm', 'This order has no payment waiting for your confirmation.'],
    ['a payment being decided', () => errors.paymentInProgress(), 'conflict', 'payment_in_progress', 'A payment for this order is being decided right now; try again in a moment.'],
    ['stock gone while unpaid', () => errors.insufficientStock([{ productId: 'p1', name: 'Lamp', available: 1 }]), 'conflict', 'insufficient_stock', /its stock went to other orders: Lamp \(1 left\)/],
    ['an illegal move', () => errors.illegalTransition('completed', 'pending', []), 'conflict', 'illegal_transition', 'An order that is completed cannot become pending.'],
    ['an employee cancelling by a move', () => errors.notAnEmployeeMove('cancelled'), 'conflict', 'illegal_transition', 'Employees cannot move an order to cancelled. Cancel it with POST /api/manage/orders/{id}/cancel, giving the customer a reason.'],
    ['an employee rejecting', () => errors.notAnEmployeeMove('rejected'), 'conflict', 'illegal_transition', 'Employees cannot move an order to rejected.'],
    ['an order changed first', () => errors.orderChangedFirst({ version: 3, status: 'pending' }), 'conflict', 'stale_version', 'Someone else changed this order first; reload it and try again.'],
    ['re-sending an order past received', () => errors.notReceived('pending'), 'conflict', 'not_received', 'Only a received order can be sent to the makeline again; this one is pending.'],
    ['a settled dead letter', () => errors.deadLetterNotFound('42'), 'not_found', 'dead_letter_not_found', 'No dead letter 42; someone may have settled it already.'],
    ['an unknown product', () => errors.productNotFound('p1'), 'not_found', 'product_not_found', 'No product p1.'],
    ['a restock past the maximum', () => errors.stockLimitReached(5), 'unprocessable', 'stock_limit', 'Adding 5 would take the stock past 1000000.'],
    ['a product deleted meanwhile', () => errors.productDeletedMeanwhile('p1'), 'not_found', 'product_not_found', 'Product p1 was deleted meanwhile.'],
    ['a product changed first', () => errors.productChangedFirst(4), 'conflict', 'stale_version', 'Someone else changed this product first; reload it and try again.'],
    ['no draft to accept', () => errors.draftNotFound('p1'), 'not_found', 'draft_not_found', 'Product p1 has no draft to accept.'],
    ['an unknown image', () => errors.imageNotFound('i1'), 'not_found', 'image_not_found', 'No image i1.'],
    ['an empty upload', () => errors.emptyImage(), 'invalid', 'empty_image', 'Send the picture as the request body.'],
    ['a file that is no picture', () => errors.notAnImage(), 'unsupported_media_type', 'not_an_image', 'That file is not a PNG or JPEG picture.'],
    ['a WebP', () => errors.webpImage(), 'unsupported_media_type', 'unsupported_image_type', 'WebP pictures are not accepted; save it as PNG or JPEG.'],
    ['a broken picture', () => errors.brokenImage('PNG', 'no IEND'), 'unprocessable', 'broken_image', 'That PNG is not a whole, valid picture; export it again and retry.'],
    ['too many pixels', () => errors.tooManyPixels(5000, 5000, 16_777_216), 'unprocessable', 'image_too_large', 'The picture is 5000 × 5000 pixels; at most 4096 × 4096 (16777216 pixels) are accepted.'],
    ['an interlaced PNG', () => errors.interlacedPng(), 'unprocessable', 'interlaced_png', 'Interlaced PNG pictures are not accepted; save it again without interlacing.'],
    ['a disallowed picture host', () => errors.imageHostNotAllowed('Pictures from x are not allowed.'), 'invalid', 'image_url_not_allowed', 'Pictures from x are not allowed.'],
    ['AI off', () => errors.aiNotConfigured('No AI service is set up.'), 'unavailable', 'ai_not_configured', 'No AI service is set up.'],
    ['AI down', () => errors.aiUnavailable('The AI service failed.'), 'unavailable', 'ai_unavailable', 'The AI service failed.'],
    ['AI busy', () => errors.aiBusy('The AI service is busy.', cause, []), 'unavailable', 'ai_busy', 'The AI service is busy.'],
    ['an AI answer without content', () => errors.aiBadResponse('No image data.'), 'unavailable', 'ai_bad_response', 'No image data.'],
    ['an AI that does not answer in time', () => errors.aiTimedOut(29_600), 'timeout', 'ai_timeout', 'The AI service did not answer within 30 s. Try again later.'],
    ['a cancelled AI request', () => errors.aiCancelled(), 'unavailable', 'ai_cancelled', 'The AI request was cancelled.'],
    ["the AI's content filter", () => errors.contentFiltered(), 'unprocessable', 'content_filtered', /content filter declined this request\. Change the product's name, tags or description/],
    ['bulk enrichment where it cannot run', () => errors.enrichmentUnavailable(), 'unavailable', 'enrichment_unavailable', errors.ENRICHMENT_UNAVAILABLE],
    ['nothing to enrich', () => errors.nothingToEnrich('an image'), 'unprocessable', 'nothing_to_enrich', 'No product is without an image.'],
    ['an unknown enrichment job', () => errors.enrichmentNotFound('j1'), 'not_found', 'enrichment_not_found', 'No enrichment job j1.'],
    ['a full disk', () => errors.storeFull(cause), 'unavailable', 'store_full', "The store's disk is full, so nothing can be saved right now. Try again later."],
    ['a disk that fails', () => errors.storeIoError(cause), 'unavailable', 'store_io_error', 'The store cannot use its disk right now. Try again later.'],
    ['a busy store', () => errors.storeBusy(cause), 'unavailable', 'store_busy', 'The store is busy. Try again in a moment.'],
    ['a key twice in one object', () => errors.duplicateKey('items.0'), 'invalid', 'duplicate_key', 'The body names the same key twice in one object.'],
    ['a client past its limit', () => errors.rateLimited('orders', 5, 600, 42), 'rate_limited', 'rate_limited', 'Too many orders from you: at most 5 every 600 s. Try again in 42 s.'],
    ['an order past the caps', () => errors.orderTooLarge([{ path: 'items', message: 'at most 20' }, { path: 'items.0.quantity', message: 'line 1: at most 10' }]), 'invalid', 'order_too_large', 'This order is larger than one order may be: at most 20; line 1: at most 10.'],
    ["another browser's guest order", () => errors.wrongClaimToken('o1'), 'forbidden', 'claim_token_mismatch', 'Only the browser that placed a guest order can claim it.'],
    ['a webhook not signed by Stripe', () => errors.invalidSignature('No signatures found'), 'invalid', 'invalid_signature', 'The webhook signature could not be verified.'],
    ["another provider's webhook", () => errors.noPaymentWebhook('demo'), 'not_found', 'no_payment_webhook', 'Payments go through the demo provider, which sends no webhooks here.'],
    ['a payment service that does not answer', () => errors.paymentProviderUnavailable(cause), 'unavailable', 'payment_provider_unavailable', 'The payment service did not answer; try again in a moment.'],
    ['a status of two words, spelled out', () => errors.notPayable('awaiting_payment'), 'conflict', 'not_payable', 'This order cannot be paid for: it is awaiting payment.'],
    ['stock gone from two lines while unpaid', () => errors.insufficientStock([{ productId: 'p1', name: 'Lamp', available: 1 }, { productId: 'p2', name: 'Desk', available: 0 }]), 'conflict', 'insufficient_stock', 'While this order waited for payment, its stock went to other orders: Lamp (1 left), Desk (0 left). Change the order and place it again.'],
  ])('%s: %s, %s', (_what, raise, kind, code, message) => {
    const error = raise();
    expect(error).toBeInstanceOf(StoreError);
    expect(error.kind).toBe(kind);
    expect(error.code).toBe(code);
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it.each<[string, () => StoreError, object[]]>([
    ['says which field of the body is wrong', () => errors.invalidRequest('body', [{ path: 'items', message: 'required' }]), [{ path: 'items', message: 'required' }]],
    ["keeps the parser's reason, cut to 200 characters", () => errors.invalidJson('x'.repeat(300)), [{ path: '(body)', message: 'x'.repeat(200) }]],
    ['points at the cursor', () => errors.unknownCursor(), [{ path: 'cursor', message: 'unknown cursor' }]],
    ['names the status of an order that cannot be cancelled', () => errors.notCancellable('completed'), [{ path: 'status', message: 'only a received or pending order can be cancelled', status: 'completed' }]],
    ['lists the moves allowed instead', () => errors.illegalTransition('pending', 'completed', ['processing', 'cancelled']), [{ message: 'allowed from pending: processing, cancelled', from: 'pending', to: 'completed' }]],
    ['says when no move is allowed', () => errors.illegalTransition('completed', 'pending', []), [{ message: 'allowed from completed: none', from: 'completed', to: 'pending' }]],
    ["gives the order's version and status now", () => errors.orderChangedFirst({ version: 3, status: 'pending' }), [{ path: 'version', message: 'the order is now at version 3', current: 3, status: 'pending' }]],
    ["gives the product's version now", () => errors.productChangedFirst(4), [{ path: 'version', message: 'stale version', current: 4 }]],
    ['says the most a product may hold', () => errors.stockLimitReached(5), [{ path: 'quantity', message: 'at most 1000000 in stock' }]],
    ["keeps the decoder's reason, cut to 200 characters", () => errors.brokenImage('JPEG', 'y'.repeat(250)), [{ message: 'y'.repeat(200) }]],
    ['points at the picture field', () => errors.imageHostNotAllowed('Not from there.'), [{ path: 'imageUrl', message: 'Not from there.' }]],
    ['points at the repeated key', () => errors.duplicateKey('items.0'), [{ path: 'items.0', message: 'appears more than once' }]],
    ['gives the limit a client went past', () => errors.rateLimited('orders', 5, 600, 42), [{ message: 'limit 5 per 600 s', limit: 5, windowSeconds: 600 }]],
    ['names the guest order that could not be claimed', () => errors.wrongClaimToken('o1'), [{ path: 'orders', message: 'order o1: missing or wrong claim token' }]],
    ["keeps Stripe's reason, cut to 200 characters", () => errors.invalidSignature('z'.repeat(300)), [{ path: 'stripe-signature', message: 'z'.repeat(200) }]],
    ['points at the card', () => errors.cardNotExpected('stripe'), [{ path: 'card', message: 'not taken' }]],
    ['asks for the card', () => errors.cardRequired(), [{ path: 'card', message: 'is required' }]],
    ['names the status of an order that cannot be paid', () => errors.notPayable('cancelled'), [{ path: 'status', message: 'only an order awaiting payment can be paid', status: 'cancelled' }]],
    ['says what is left of each product', () => errors.insufficientStock([{ productId: 'p1', name: 'Lamp', available: 1 }]), [{ productId: 'p1', name: 'Lamp', available: 1, message: '1 left' }]],
  ])('%s', (_what, raise, details) => {
    expect(raise().details).toEqual(details);
  });

  it.each([
    ['a full disk', () => errors.storeFull(new Error('SQLITE_FULL')), 30],
    ['a disk that fails', () => errors.storeIoError(new Error('SQLITE_IOERR')), 30],
    ['a busy store', () => errors.storeBusy(new Error('SQLITE_BUSY')), 1],
    ['a busy store, told how long', () => errors.storeBusy(new Error('SQLITE_BUSY'), 5), 5],
    ['a payment service that does not answer', () => errors.paymentProviderUnavailable(new Error('ECONNRESET')), 5],
  ])('%s says to retry after %i s, and keeps its cause for the log', (_what, raise, seconds) => {
    const error = raise();
    expect(error.retryAfterSeconds).toBe(seconds);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('keeps the cause of an AI failure for the log, and tells the client nothing of it', () => {
    for (const error of [errors.aiUnavailable('x', cause), errors.aiBusy('x', cause, []), errors.aiBadResponse('x', cause), errors.aiTimedOut(1000, cause), errors.contentFiltered(cause)]) {
      expect(error.cause).toBe(cause);
      expect(error.retryAfterSeconds).toBeUndefined();
    }
    expect(errors.orderNotFound('o1').cause).toBeUndefined();
  });

  it('tells a client past its limit when to come back, and is a StoreError by name in the log', () => {
    const error = errors.rateLimited('searches', 60, 60, 17);
    expect(error.retryAfterSeconds).toBe(17);
    expect(error.name).toBe('StoreError');
    expect(error.details).toEqual([{ message: 'limit 60 per 60 s', limit: 60, windowSeconds: 60 }]);
    expect(errors.aiNotConfigured('off').details).toEqual([]);
  });
});
