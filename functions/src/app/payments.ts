import {
  alreadyPaid,
  cardNotExpected,
  cardRequired,
  insufficientStock,
  invalidCard,
  notPayable,
  notYourOrder,
  nothingToConfirm,
  orderNotFound,
  paymentInProgress,
} from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { holdKeyOf, retakenHoldKey, type StoredOrder } from '../domain/order.js';
import { mayActOnOrder } from '../domain/owner.js';
import { cardProblems, holdHasExpired, methodOf, paymentKey, refundKey, type Card, type ChargeOutcome, type PaymentMethod } from '../domain/payment.js';
import { attemptInterrupted, attemptStarted, confirmationStarted, holdGivenBack, outcomeApplied, refunded } from '../domain/paymentSteps.js';
import type { Actor, Logger, Principal, Services } from '../ports.js';
import { audit } from './audit.js';
import { sendToMakeline } from './makeline.js';
import { reserveOrderStock } from './stock.js';

/** Each lost race re-reads the order; only a few writers (the customer, the sweeper, an employee) ever race on one. */
const ATTEMPTS = 5;

/** Who the audit log names for what the outbox sweeper finishes. */
export const OUTBOX_SWEEPER: Actor = { userDetails: 'outbox sweeper' };

export interface PaymentResult {
  order: StoredOrder;
  /** Stripe: what Stripe.js confirms the PaymentIntent with in the browser. */
  clientSecret?: string;
}

async function reread(services: Services, orderId: string): Promise<StoredOrder> {
  const fresh = await services.orders.get(orderId);
  if (!fresh) throw orderNotFound(orderId);
  return fresh;
}

/**
 * The card's rules, before anything is read or written: the demo provider needs one (400 without,
 * or with a bad one), Stripe takes none here. Answers what may be kept of it.
 */
export function checkCard(services: Services, card: Card | undefined): PaymentMethod | undefined {
  if (!services.payments.takesCard) {
    if (card) throw cardNotExpected(services.payments.name);
    return undefined;
  }
  if (!card) throw cardRequired();
  const problems = cardProblems(card, services.clock.now());
  if (problems.length > 0) throw invalidCard(problems);
  return methodOf(card);
}

/** Paying it is refused: already paid (409 already_paid), or not awaiting payment (409 not_payable). */
function refuseUnpayable(order: StoredOrder): void {
  if (order.payment?.status === 'paid') throw alreadyPaid();
  if (order.status !== 'awaiting_payment') throw notPayable(order.status);
}

/** What is left of each item the order is short of, read after giving back what the attempt took. */
async function whatIsLeft(services: Services, order: StoredOrder) {
  const products = new Map((await services.products.getMany(order.items.map((item) => item.productId))).map((product) => [product.id, product]));
  const short = order.items
    .map((item) => ({ productId: item.productId, name: item.name, available: products.get(item.productId)?.stock ?? 0, wanted: item.quantity }))
    .filter((item) => item.available < item.wanted);
  return short.map(({ wanted: _wanted, ...item }) => item);
}

/**
 * The hold ended and its stock went back: takes it again under a key of its own (the sweeper may
 * still be releasing the old key), or answers 409 insufficient_stock naming what is left.
 */
async function retakeHold(services: Services, order: StoredOrder): Promise<string> {
  const holdKey = retakenHoldKey(order.orderId, newId());
  const short = await reserveOrderStock(services, order, holdKey);
  if (!short) return holdKey;
  await services.products.releaseStock(holdKey, order.items.map((item) => item.productId));
  const left = await whatIsLeft(services, order);
  throw insufficientStock(left.length > 0 ? left : [{ productId: short.productId, name: short.name, available: 0 }]);
}

/**
 * Writes what the provider decided for the order's current attempt, against the version read;
 * a paid order goes to the makeline. Used after a charge or confirmation, by the sweeper for an
 * attempt a crash left unfinished, and by a provider's webhook. Once another writer recorded this
 * attempt (or a later one began) it changes nothing and answers the order as it is.
 */
export async function recordChargeOutcome(services: Services, order: StoredOrder, outcome: ChargeOutcome, log: Logger, actor: Actor = OUTBOX_SWEEPER): Promise<StoredOrder> {
  const attempt = order.payment?.attempts;
  let current = order;
  for (let tries = 0; tries < ATTEMPTS; tries++) {
    const status = current.payment?.status;
    if (current.payment?.attempts !== attempt || (status !== 'processing' && status !== 'requires_action')) return current;
    const next = outcomeApplied(current, outcome, services.clock.now());
    const result = await services.orders.replace(next, current.version);
    if (result.outcome === 'replaced') {
      if (next.status === 'received') await sendToMakeline(services, next, log);
      if (next.payment?.status === 'refund_pending') return refundOrder(services, next, actor, log);
      return next;
    }
    current = await reread(services, order.orderId);
  }
  return current;
}

/** Calls the provider for the order's current attempt (processing) with its key, and records what it said. */
async function chargeAttempt(services: Services, order: StoredOrder, card: Card | undefined, log: Logger): Promise<PaymentResult> {
  const outcome = await services.payments.charge({
    idempotencyKey: paymentKey(order.orderId, order.payment!.attempts),
    orderId: order.orderId,
    amountCents: order.totalCents,
    currency: 'USD',
    ...(card && { card }),
  });
  const recorded = await recordChargeOutcome(services, order, outcome, log);
  return outcome.outcome === 'requires_action' && outcome.clientSecret ? { order: recorded, clientSecret: outcome.clientSecret } : { order: recorded };
}

/**
 * Pays for an order awaiting payment: POST /orders with a payment, and POST /orders/{id}/payment.
 * The attempt is written as processing (attempts + 1) before the provider is called with the key
 * paymentKey(orderId, attempts), and the outcome after: a crash between leaves an attempt the
 * sweeper finishes by asking the provider (finishPayments), and a retry of an attempt still
 * processing sends the same key, which is the same charge. After the hold expired the stock is
 * taken again first (409 insufficient_stock when it is gone). `method` is checkCard's.
 */
export async function chargeOrder(services: Services, order: StoredOrder, card: Card | undefined, method: PaymentMethod | undefined, log: Logger): Promise<PaymentResult> {
  let current = order;
  for (let tries = 0; tries < ATTEMPTS; tries++) {
    refuseUnpayable(current);
    if (current.payment?.status === 'processing') {
      if (services.payments.takesCard && !card) throw paymentInProgress();
      return chargeAttempt(services, current, card, log);
    }
    const holdKey = current.holdReleased ? await retakeHold(services, current) : undefined;
    const started = attemptStarted(current, services.payments.name, services.clock.now(), method, holdKey);
    const result = await services.orders.replace(started, current.version);
    if (result.outcome === 'replaced') return chargeAttempt(services, started, card, log);
    if (holdKey) await services.products.releaseStock(holdKey, current.items.map((item) => item.productId));
    current = await reread(services, current.orderId);
  }
  throw paymentInProgress();
}

/** POST /orders/{id}/payment: the order's customer (or, for a guest's order, whoever holds its link) pays. */
export async function payOrder(services: Services, orderId: string, card: Card | undefined, caller: Principal | null, log: Logger): Promise<PaymentResult> {
  const method = checkCard(services, card);
  const order = await reread(services, orderId);
  if (!mayActOnOrder(order, caller)) throw notYourOrder();
  return chargeOrder(services, order, card, method, log);
}

/**
 * POST /orders/{id}/payment/confirm: the customer's answer to the provider's second step (the
 * demo's 3-D Secure card). Written as processing first, like a charge, with the same attempt's key.
 */
export async function confirmPayment(services: Services, orderId: string, approve: boolean, caller: Principal | null, log: Logger): Promise<StoredOrder> {
  let current = await reread(services, orderId);
  for (let tries = 0; tries < ATTEMPTS; tries++) {
    if (!mayActOnOrder(current, caller)) throw notYourOrder();
    refuseUnpayable(current);
    if (current.payment?.status !== 'requires_action' || !current.payment.reference) throw nothingToConfirm();
    const holdKey = current.holdReleased && approve ? await retakeHold(services, current) : undefined;
    const started = confirmationStarted(current, services.clock.now(), holdKey);
    const result = await services.orders.replace(started, current.version);
    if (result.outcome === 'replaced') {
      const { attempts, reference } = started.payment!;
      const outcome = await services.payments.confirm({ idempotencyKey: paymentKey(orderId, attempts), reference: reference!, approve });
      return recordChargeOutcome(services, started, outcome, log);
    }
    if (holdKey) await services.products.releaseStock(holdKey, current.items.map((item) => item.productId));
    current = await reread(services, orderId);
  }
  throw paymentInProgress();
}

/**
 * Gives a refund_pending order's money back through the provider, once (refundKey), then writes
 * it refunded and audits `order.refund` naming who cancelled (or the sweeper, for a retry).
 */
export async function refundOrder(services: Services, order: StoredOrder, actor: Actor, log: Logger): Promise<StoredOrder> {
  const payment = order.payment!;
  const amountCents = payment.refund?.amountCents ?? order.totalCents;
  try {
    await services.payments.refund({ idempotencyKey: refundKey(order.orderId), orderId: order.orderId, reference: payment.reference ?? paymentKey(order.orderId, payment.attempts), amountCents });
  } catch (error) {
    log.warn(`order ${order.orderId}: the refund did not go through yet; the outbox sweeper will retry it`, error);
    return order;
  }
  let current = order;
  for (let tries = 0; tries < ATTEMPTS; tries++) {
    if (current.payment?.status !== 'refund_pending') return current;
    const next = refunded(current, services.clock.now());
    const result = await services.orders.replace(next, current.version);
    if (result.outcome === 'replaced') {
      const change = { before: { number: current.number, payment: 'refund_pending' }, after: { number: next.number, payment: 'refunded', amountCents } };
      await audit(services, actor, 'order.refund', next.orderId, change, next.number);
      return next;
    }
    current = await reread(services, order.orderId);
  }
  return current;
}

/** The sweeper gives an unpaid order's stock back once its hold ended: the order first (CAS), the stock after. */
async function releaseExpiredHold(services: Services, order: StoredOrder): Promise<boolean> {
  const result = await services.orders.replace(holdGivenBack(order, services.clock.now()), order.version);
  // Paid, cancelled or retried meanwhile: the next sweep reads it again.
  if (result.outcome !== 'replaced') return false;
  await services.products.releaseStock(holdKeyOf(order), order.items.map((item) => item.productId));
  return true;
}

/** An attempt left processing (a crash between the provider's answer and the write): asks the provider what became of it. */
async function finishAttempt(services: Services, order: StoredOrder, log: Logger): Promise<StoredOrder> {
  const outcome = await services.payments.find(paymentKey(order.orderId, order.payment!.attempts));
  if (outcome) return recordChargeOutcome(services, order, outcome, log);
  const result = await services.orders.replace(attemptInterrupted(order, services.clock.now()), order.version);
  return result.outcome === 'replaced' ? result.value : order;
}

/** Orders read per sweep; what is left waits for the next. */
const SWEPT_PER_RUN = 200;

export interface PaymentSweep {
  holdsReleased: number;
  paymentsFinished: number;
  refundsRetried: number;
}

/**
 * The outbox sweeper's payment work: orders the store says have some due (listSweepDue). An
 * attempt or refund is left to whoever started it for OUTBOX_RESEND_AFTER_SECONDS (a provider call
 * gives up well within it); after that the sweeper finishes it. Each order is decided alone: one
 * failure is logged and the rest go on.
 */
export async function sweepPayments(services: Services, log: Logger): Promise<PaymentSweep> {
  const now = services.clock.now();
  const leftAlone = now.getTime() - services.config.outbox.resendAfterMs;
  const swept: PaymentSweep = { holdsReleased: 0, paymentsFinished: 0, refundsRetried: 0 };
  for (const order of await services.orders.listSweepDue(now, SWEPT_PER_RUN)) {
    const status = order.payment?.status;
    const recent = Date.parse(order.updatedAt) > leftAlone;
    try {
      if (status === 'processing') {
        if (recent) continue;
        await finishAttempt(services, order, log);
        swept.paymentsFinished++;
      } else if (status === 'refund_pending') {
        if (recent) continue;
        if ((await refundOrder(services, order, OUTBOX_SWEEPER, log)).payment?.status === 'refunded') swept.refundsRetried++;
      } else if (holdHasExpired(order, now) && (await releaseExpiredHold(services, order))) {
        swept.holdsReleased++;
      }
    } catch (error) {
      log.warn(`sweepPayments: order ${order.orderId} left for the next sweep`, error);
    }
  }
  return swept;
}
