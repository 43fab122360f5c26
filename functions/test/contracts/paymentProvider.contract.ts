import { describe, expect, it } from 'vitest';
import { newId } from '../../src/domain/ids.js';
import { paymentKey, refundKey } from '../../src/domain/payment.js';
import type { PaymentLedger, PaymentProvider } from '../../src/ports.js';

const card = (number: string) => ({ number, expiry: '12/39', cvc: '123' });

/**
 * What the payment use cases (app/payments.ts) need of the demo provider over a store's ledger:
 * every call answered the same however often it is repeated, `find` telling what a crashed caller
 * never heard, and the ledger counting each charge and refund once.
 */
export function paymentProviderContract(adapter: string, provide: () => { provider: PaymentProvider; ledger: PaymentLedger }): void {
  describe(`PaymentProvider contract (demo provider): ${adapter}`, () => {
    const charge = (orderId: string, attempt: number, number: string) =>
      provide().provider.charge({ idempotencyKey: paymentKey(orderId, attempt), orderId, amountCents: 2500, currency: 'USD', card: card(number) });

    it('charges the success card once however often, and at once, the same key is sent', async () => {
      const orderId = newId();
      const outcomes = await Promise.all(Array.from({ length: 5 }, () => charge(orderId, 1, '4242424242424242')));
      for (const outcome of outcomes) expect(outcome).toEqual({ outcome: 'paid', reference: outcomes[0]!.outcome === 'paid' ? outcomes[0]!.reference : '', method: { brand: 'visa', last4: '4242' } });
      const entries = await provide().ledger.forOrder(orderId);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ kind: 'charge', state: 'paid', amountCents: 2500, key: paymentKey(orderId, 1) });
      expect(JSON.stringify(entries)).not.toContain('4242424242424242');
    });

    it('answers the first decision for a key even when another card comes with it', async () => {
      const orderId = newId();
      expect(await charge(orderId, 1, '4000000000000002')).toMatchObject({ outcome: 'declined', code: 'card_declined', message: 'Your card was declined.' });
      expect(await charge(orderId, 1, '4242424242424242')).toMatchObject({ outcome: 'declined', method: { last4: '0002' } });
      expect(await charge(orderId, 2, '4242424242424242')).toMatchObject({ outcome: 'paid' });
      expect((await provide().ledger.forOrder(orderId)).map((entry) => entry.state)).toEqual(['declined', 'paid']);
    });

    it('finds what became of a key, and nothing for a key never sent', async () => {
      const orderId = newId();
      expect(await provide().provider.find(paymentKey(orderId, 1))).toBeNull();
      await charge(orderId, 1, '4000000000009995');
      expect(await provide().provider.find(paymentKey(orderId, 1))).toMatchObject({ outcome: 'declined', code: 'insufficient_funds' });
    });

    it('decides a 3-D Secure charge once: the first answer stays', async () => {
      const orderId = newId();
      const asked = await charge(orderId, 1, '4000002500003155');
      expect(asked).toMatchObject({ outcome: 'requires_action', method: { last4: '3155' } });
      const reference = asked.outcome === 'requires_action' ? asked.reference : '';
      const key = paymentKey(orderId, 1);
      const answers = await Promise.all([true, false, true].map((approve) => provide().provider.confirm({ idempotencyKey: key, reference, approve })));
      expect(new Set(answers.map((answer) => answer.outcome)).size).toBe(1);
      expect(await provide().provider.find(key)).toEqual(answers[0]);
      const refused = newId();
      const second = await charge(refused, 1, '4000002500003155');
      const declined = await provide().provider.confirm({ idempotencyKey: paymentKey(refused, 1), reference: second.outcome === 'requires_action' ? second.reference : '', approve: false });
      expect(declined).toMatchObject({ outcome: 'declined', message: 'You did not confirm the payment.' });
    });

    it('refunds once however often it is asked', async () => {
      const orderId = newId();
      const paid = await charge(orderId, 1, '4242424242424242');
      const reference = paid.outcome === 'paid' ? paid.reference : '';
      const refunds = await Promise.all(Array.from({ length: 3 }, () => provide().provider.refund({ idempotencyKey: refundKey(orderId), orderId, reference, amountCents: 2500 })));
      expect(new Set(refunds.map((refund) => refund.reference)).size).toBe(1);
      expect((await provide().ledger.forOrder(orderId)).map((entry) => `${entry.kind} ${entry.state}`)).toEqual(['charge paid', 'refund refunded']);
    });
  });
}
