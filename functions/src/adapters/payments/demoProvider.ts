import { DEMO_TEST_CARDS, demoOutcome, methodOf, NOT_CONFIRMED } from '../../domain/payment.js';
import type { ChargeOutcome, ChargeRequest, Clock, LedgerEntry, PaymentLedger, PaymentProvider, PaymentSetup } from '../../ports.js';

/** How a ledger line reads as the port's outcome. */
function outcomeOf(entry: LedgerEntry): ChargeOutcome {
  const method = entry.method ? { method: entry.method } : {};
  if (entry.state === 'paid') return { outcome: 'paid', reference: entry.reference, method: entry.method! };
  if (entry.state === 'requires_action') return { outcome: 'requires_action', reference: entry.reference, ...method };
  return { outcome: 'declined', code: entry.code ?? 'card_declined', message: entry.message ?? 'Your card was declined.', ...method };
}

/**
 * The demo provider: Stripe's test cards, answered as Stripe's test mode answers them, and no
 * money anywhere. Each charge and refund is a line of the store's ledger under its idempotency
 * key, written before it is answered, so a repeated call answers the first decision and `find`
 * tells what a crashed caller never heard. Only the card's brand and last four digits are kept.
 */
export class DemoPaymentProvider implements PaymentProvider {
  readonly name = 'demo' as const;
  readonly takesCard = true;

  constructor(
    private readonly ledger: PaymentLedger,
    private readonly clock: Clock,
  ) {}

  setup(): PaymentSetup {
    return { provider: 'demo', testCards: DEMO_TEST_CARDS.map(({ number, outcome }) => ({ number, outcome })) };
  }

  async charge(request: ChargeRequest): Promise<ChargeOutcome> {
    const earlier = await this.ledger.get(request.idempotencyKey);
    if (earlier) return outcomeOf(earlier);
    if (!request.card) throw new Error('the demo provider charges a card, and none was given');
    const decided = demoOutcome(request.card.number);
    const entry: LedgerEntry = {
      key: request.idempotencyKey,
      kind: 'charge',
      orderId: request.orderId,
      amountCents: request.amountCents,
      state: decided.outcome,
      reference: `demo_ch_${request.idempotencyKey}`,
      method: methodOf(request.card),
      ...(decided.outcome === 'declined' ? { code: decided.code, message: decided.message } : {}),
      at: this.clock.now().toISOString(),
    };
    return outcomeOf(await this.ledger.recordIfAbsent(entry));
  }

  async confirm({ idempotencyKey, approve }: { idempotencyKey: string; reference: string; approve: boolean }): Promise<ChargeOutcome> {
    const entry = await this.ledger.get(idempotencyKey);
    if (!entry) throw new Error(`the demo provider has no charge ${idempotencyKey} to confirm`);
    if (entry.state !== 'requires_action') return outcomeOf(entry);
    const { code: _code, message: _message, ...rest } = entry;
    const decided: LedgerEntry = approve
      ? { ...rest, state: 'paid', at: this.clock.now().toISOString() }
      : { ...rest, state: 'declined', code: 'not_confirmed', message: NOT_CONFIRMED, at: this.clock.now().toISOString() };
    const stored = await this.ledger.decide(idempotencyKey, decided);
    return outcomeOf(stored ?? decided);
  }

  async find(idempotencyKey: string): Promise<ChargeOutcome | null> {
    const entry = await this.ledger.get(idempotencyKey);
    return entry ? outcomeOf(entry) : null;
  }

  async refund({ idempotencyKey, orderId, amountCents }: Parameters<PaymentProvider['refund']>[0]): Promise<{ reference: string }> {
    const entry = await this.ledger.recordIfAbsent({
      key: idempotencyKey,
      kind: 'refund',
      orderId,
      amountCents,
      state: 'refunded',
      reference: `demo_re_${idempotencyKey}`,
      at: this.clock.now().toISOString(),
    });
    return { reference: entry.reference };
  }
}
