import { describe, expect, it } from 'vitest';
import { cardBrand, cardProblems, demoOutcome, holdExpiry, holdHasExpired, methodOf, paymentKey, refundKey, sweepDueAt } from '../../src/domain/payment.js';
import { attemptStarted, awaitingPayment, outcomeApplied, refundOwed, refunded } from '../../src/domain/paymentSteps.js';
import { holdKeyMadeAt, holdKeyOf, orderIdOfHold, publicOrder, retakenHoldKey } from '../../src/domain/order.js';
import { newOrder } from '../../src/domain/pricing.js';
import { newId } from '../../src/domain/ids.js';
import { readConfig } from '../../src/config.js';
import { CHECKOUT } from '../support/checkout.js';

const now = new Date('2026-03-15T12:00:00Z');
const card = (overrides: Partial<{ number: string; expiry: string; cvc: string }> = {}) => ({ number: '4242424242424242', expiry: '12/30', cvc: '123', ...overrides });

describe('the demo provider’s cards', () => {
  it('answers exactly the test numbers, no Luhn check, and declines any other naming the test cards', () => {
    expect(demoOutcome('4242424242424242')).toEqual({ outcome: 'paid' });
    expect(demoOutcome('4000000000000002')).toEqual({ outcome: 'declined', code: 'card_declined', message: 'Your card was declined.' });
    expect(demoOutcome('4000000000009995')).toEqual({ outcome: 'declined', code: 'insufficient_funds', message: 'Your card has insufficient funds.' });
    expect(demoOutcome('4000002500003155')).toEqual({ outcome: 'requires_action' });
    // A real, Luhn-valid Visa number is not a test card.
    const other = demoOutcome('4111111111111111');
    expect(other).toMatchObject({ outcome: 'declined', code: 'unknown_test_card' });
    expect(other.outcome === 'declined' && other.message).toContain('4242 4242 4242 4242');
  });

  it('tells the brand from the first digits and keeps only the last four', () => {
    expect(cardBrand('4242424242424242')).toBe('visa');
    expect(cardBrand('5555555555554444')).toBe('mastercard');
    expect(cardBrand('2223003122003222')).toBe('mastercard');
    expect(cardBrand('378282246310005')).toBe('amex');
    expect(cardBrand('6011111111111117')).toBe('discover');
    expect(cardBrand('9999999999999999')).toBe('card');
    expect(methodOf(card())).toEqual({ brand: 'visa', last4: '4242' });
  });

  // The issuer ranges at their edges: Mastercard 51-55 and 2221-2720, Amex 34 and 37, Discover 6011, 644-649 and 65.
  it.each([
    ['5100000000000000', 'mastercard'], ['5500000000000000', 'mastercard'], ['5000000000000000', 'card'], ['5600000000000000', 'card'],
    ['2220990000000000', 'card'], ['2221000000000000', 'mastercard'], ['2229000000000000', 'mastercard'],
    ['2210000000000000', 'card'], ['2230000000000000', 'mastercard'], ['2299000000000000', 'mastercard'],
    ['2100000000000000', 'card'], ['2300000000000000', 'mastercard'], ['2699000000000000', 'mastercard'],
    ['2700000000000000', 'mastercard'], ['2719000000000000', 'mastercard'], ['2720990000000000', 'mastercard'],
    ['2721000000000000', 'card'], ['2730000000000000', 'card'],
    ['340000000000000', 'amex'], ['370000000000000', 'amex'], ['350000000000000', 'card'], ['1347000000000000', 'card'],
    ['6011000000000000', 'discover'], ['6440000000000000', 'discover'], ['6490000000000000', 'discover'], ['6500000000000000', 'discover'],
    ['6430000000000000', 'card'], ['6012000000000000', 'card'], ['1601100000000000', 'card'], ['1650000000000000', 'card'],
  ])('calls %s a %s', (number, brand) => expect(cardBrand(number)).toBe(brand));

  it('takes an expiry through the end of its month, a CVC of 3 or 4 digits and 12 to 19 digits', () => {
    expect(cardProblems(card({ expiry: '03/26' }), now)).toEqual([]);
    expect(cardProblems(card({ expiry: '02/26' }), now)).toEqual([{ path: 'card.expiry', message: 'this card has expired' }]);
    expect(cardProblems(card({ expiry: '00/30' }), now).map((problem) => problem.path)).toEqual(['card.expiry']);
    expect(cardProblems(card({ expiry: '1/30' }), now).map((problem) => problem.path)).toEqual(['card.expiry']);
    expect(cardProblems(card({ cvc: '1234' }), now)).toEqual([]);
    expect(cardProblems(card({ cvc: '12' }), now).map((problem) => problem.path)).toEqual(['card.cvc']);
    expect(cardProblems(card({ cvc: '12a' }), now).map((problem) => problem.path)).toEqual(['card.cvc']);
    expect(cardProblems(card({ number: '42424242424' }), now).map((problem) => problem.path)).toEqual(['card.number']);
    expect(cardProblems(card({ number: '4242x24242424242' }), now).map((problem) => problem.path)).toEqual(['card.number']);
  });

  const number = { path: 'card.number', message: 'must be 12 to 19 digits' };
  const expiry = { path: 'card.expiry', message: 'must be the month and year as MM/YY' };
  const expired = { path: 'card.expiry', message: 'this card has expired' };
  const cvc = { path: 'card.cvc', message: 'must be 3 or 4 digits' };
  it.each([
    [{ number: '424242424242' }, []], [{ number: '4242424242424242424' }, []],
    [{ number: '42424242424242424242' }, [number]], [{ number: 'x4242424242424242' }, [number]], [{ number: '4242424242424242x' }, [number]],
    [{ expiry: '01/30' }, []], [{ expiry: '12/30' }, []], [{ expiry: '13/30' }, [expiry]], [{ expiry: 'x12/30' }, [expiry]], [{ expiry: '12/301' }, [expiry]],
    [{ cvc: '123' }, []], [{ cvc: '12345' }, [cvc]], [{ cvc: 'a123' }, [cvc]], [{ cvc: '123a' }, [cvc]],
    [{ number: '1', expiry: '99/99', cvc: '' }, [number, expiry, cvc]],
  ])('finds in %j: %j', (fields, problems) => expect(cardProblems(card(fields), now)).toEqual(problems));

  it('takes a card through the last moment of its month, and not the first moment of the next', () => {
    expect(cardProblems(card({ expiry: '03/26' }), new Date('2026-03-31T23:59:59.999Z'))).toEqual([]);
    expect(cardProblems(card({ expiry: '03/26' }), new Date('2026-04-01T00:00:00.000Z'))).toEqual([expired]);
  });
});

describe('an order’s payment', () => {
  const placed = () => newOrder(newId(), 'BB-234567', CHECKOUT, [{ productId: 'lamp', name: 'Lamp', quantity: 2, unitPriceCents: 1000 }], 'h', now);

  it('holds the stock for HOLD_MINUTES, decimals allowed, and expires it only while nothing is paying', () => {
    expect(readConfig({ HOLD_MINUTES: '0.1' }).payments.holdMs).toBe(6000);
    expect(readConfig({}).payments).toEqual({ provider: 'demo', holdMs: 15 * 60_000 });
    expect(() => readConfig({ HOLD_MINUTES: 'soon' })).toThrow(/HOLD_MINUTES/);
    const order = awaitingPayment(placed(), 'demo', holdExpiry(now, 6000));
    expect(order).toMatchObject({ status: 'awaiting_payment', holdExpiresAt: '2026-03-15T12:00:06.000Z', payment: { status: 'unpaid', attempts: 0 } });
    const later = new Date(now.getTime() + 6000);
    expect(holdHasExpired(order, new Date(now.getTime() + 5999))).toBe(false);
    expect(holdHasExpired(order, later)).toBe(true);
    expect(holdHasExpired(attemptStarted(order, 'demo', now), later)).toBe(false);
    expect(holdHasExpired({ ...order, holdReleased: true }, later)).toBe(false);
    // Paid, or no longer waiting for payment (cancelled, say): nothing of its hold is the sweeper's to end.
    expect(holdHasExpired({ ...order, payment: { ...order.payment!, status: 'paid' } }, later)).toBe(false);
    expect(holdHasExpired({ ...order, status: 'cancelled' }, later)).toBe(false);
    expect(holdHasExpired({ ...order, holdExpiresAt: undefined }, later)).toBe(false);
  });

  it('is due for the sweeper when its hold ends or a payment or refund was left unfinished, and not otherwise', () => {
    const order = awaitingPayment(placed(), 'demo', holdExpiry(now, 60_000));
    expect(sweepDueAt(order)).toBe(order.holdExpiresAt);
    expect(sweepDueAt({ ...order, holdReleased: true })).toBeUndefined();
    const processing = attemptStarted(order, 'demo', now);
    expect(sweepDueAt(processing)).toBe(processing.updatedAt);
    const paid = outcomeApplied(processing, { outcome: 'paid', reference: 'r', method: { brand: 'visa', last4: '4242' } }, now);
    expect(sweepDueAt(paid)).toBeUndefined();
    expect(sweepDueAt(refundOwed(paid))).toBe(paid.updatedAt);
    expect(sweepDueAt(refunded(refundOwed(paid), now))).toBeUndefined();
  });

  it('counts attempts, each with its own key, and refunds the total once paid', () => {
    const order = awaitingPayment(placed(), 'demo', holdExpiry(now, 60_000));
    const first = attemptStarted(order, 'demo', now, { brand: 'visa', last4: '0002' });
    expect(paymentKey(first.orderId, first.payment!.attempts)).toBe(`${first.orderId}:1`);
    const declined = outcomeApplied(first, { outcome: 'declined', code: 'card_declined', message: 'Your card was declined.' }, now);
    expect(declined).toMatchObject({ status: 'awaiting_payment', payment: { status: 'failed', failure: 'Your card was declined.', method: { last4: '0002' } } });
    const second = attemptStarted(declined, 'demo', now, { brand: 'visa', last4: '4242' });
    expect(second.payment).toEqual({ status: 'processing', provider: 'demo', attempts: 2, method: { brand: 'visa', last4: '4242' } });
    const paid = outcomeApplied(second, { outcome: 'paid', reference: 'ch_1', method: { brand: 'visa', last4: '4242' } }, now);
    expect(paid.status).toBe('received');
    expect(paid).not.toHaveProperty('holdExpiresAt');
    expect(publicOrder(paid).payment).not.toHaveProperty('reference');
    expect(refundOwed(paid).payment).toMatchObject({ status: 'refund_pending', refund: { amountCents: 2000 } });
    expect(refundOwed(declined)).toBe(declined);
    expect(refundKey(paid.orderId)).toBe(`refund:${paid.orderId}`);
  });

  it('takes stock again under a key of its own that names the order and when it was made', () => {
    const order = awaitingPayment(placed(), 'demo', holdExpiry(now, 60_000));
    expect(holdKeyOf(order)).toBe(order.orderId);
    const key = retakenHoldKey(order.orderId, newId());
    const retaken = attemptStarted({ ...order, holdReleased: true }, 'demo', now, undefined, key);
    expect(holdKeyOf(retaken)).toBe(key);
    expect(retaken).not.toHaveProperty('holdReleased');
    expect(orderIdOfHold(key)).toBe(order.orderId);
    expect(Math.abs(holdKeyMadeAt(key)! - Date.now())).toBeLessThan(5000);
    expect(holdKeyMadeAt(order.orderId)).toBeNull();
    expect(publicOrder(retaken)).not.toHaveProperty('stockHold');
  });
});
