import { dueNotices, holdForSending, markFailedTry, markNotSent, markSent, MAX_NOTICE_ATTEMPTS, outboxWrite, type NoticeKind } from '../domain/notices.js';
import { composeOrderMail, isNeverDelivered, type MailSite } from '../domain/orderMail.js';
import type { StoredOrder } from '../domain/order.js';
import type { Logger, OrderStore, Services } from '../ports.js';

/** Each lost race re-reads the order; a few writers at most touch one order at a time. */
const ATTEMPTS = 5;
/** Orders a sweep reads: the index gives the longest due first. */
const SWEEP_BATCH = 100;
/** Failed sends after which a sweep stops: the server is likely down, and each try may wait out a timeout. */
const SWEEP_FAILURES = 3;

type Sender = Pick<Services, 'orders' | 'mail' | 'clock' | 'config'>;

function siteOf(services: Sender): MailSite {
  const from = services.mail.from;
  const domain = /@([^>\s]+)>?$/.exec(from)?.[1] ?? new URL(services.config.mail.storeUrl).hostname;
  return { storeUrl: services.config.mail.storeUrl, messageIdDomain: domain };
}

/**
 * Writes a change of one notice, re-reading on a stale version: the notice is this sender's
 * (it holds it), so the change applies to whatever else the order became meanwhile.
 */
async function record(orders: OrderStore, order: StoredOrder, change: (order: StoredOrder) => StoredOrder): Promise<StoredOrder | null> {
  let current = order;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const next = outboxWrite(change(current));
    const result = await orders.replace(next, current.version);
    if (result.outcome === 'replaced') return next;
    if (result.outcome === 'missing') return null;
    const fresh = await orders.get(order.orderId);
    if (!fresh) return null;
    current = fresh;
  }
  throw new Error(`order ${order.orderId} kept changing while its email was recorded`);
}

type Outcome = 'sent' | 'failed' | 'not_sent';

/**
 * Mails one notice: holds it first (one more try, and no other sender takes it while it is held),
 * sends, then records it sent, or the failure and when to try again. A crash after the send and
 * before the record sends it again once the hold is over: the Message-ID is the same, so the
 * customer's mail client shows it once.
 */
async function sendNotice(services: Sender, order: StoredOrder, kind: NoticeKind, log: Logger): Promise<{ order: StoredOrder | null; outcome: Outcome | 'taken' }> {
  // Recorded in the order, not logged: with mail off every notice would be a line, and health says it is off.
  // Nothing is sent then, so nothing needs holding first: one write, not two, beside the makeline's.
  const notSent = async (why: string) => ({ order: await record(services.orders, order, (o) => markNotSent(o, kind, services.clock.now(), why)), outcome: 'not_sent' as const });
  if (services.mail.provider === 'off') return notSent('mail is off (MAIL_PROVIDER=off)');
  // Azure would accept it, bill it and bounce it, which counts against the sender's reputation; a
  // mail catcher or an operator's own SMTP server gets everything.
  if (services.mail.provider === 'acs' && isNeverDelivered(order.customer.email ?? '')) return notSent('a reserved domain that is never delivered to');

  const now = services.clock.now();
  const held = outboxWrite(holdForSending(order, kind, now));
  const taken = await services.orders.replace(held, order.version);
  if (taken.outcome !== 'replaced') return { order: taken.outcome === 'missing' ? null : await services.orders.get(order.orderId), outcome: 'taken' };
  try {
    await services.mail.send(composeOrderMail(held, kind, siteOf(services)));
  } catch (error) {
    const failure = (error as Error).message;
    const attempts = held.notices?.find((notice) => notice.kind === kind)?.attempts ?? 1;
    const next = attempts >= MAX_NOTICE_ATTEMPTS ? 'given up' : 'tried again later';
    log.warn(`the ${kind} email of order ${order.orderId} was not sent (try ${attempts} of ${MAX_NOTICE_ATTEMPTS}, ${next}): ${failure}`);
    return { order: await record(services.orders, held, (o) => markFailedTry(o, kind, services.clock.now(), failure)), outcome: 'failed' };
  }
  return { order: await record(services.orders, held, (o) => markSent(o, kind, services.clock.now())), outcome: 'sent' };
}

/** Mails every notice of the order that is due now, one after another; answers what became of each. */
export async function sendOrderNotices(services: Sender, order: StoredOrder, log: Logger): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let current: StoredOrder | null = order;
  for (let step = 0; current && step < ATTEMPTS * 2; step++) {
    const [next] = dueNotices(current, services.clock.now());
    if (!next) break;
    const { order: after, outcome } = await sendNotice(services, current, next.kind, log);
    if (outcome !== 'taken') outcomes.push(outcome);
    current = after;
  }
  return outcomes;
}

/**
 * The outbox sweeper's part: mails the notices that are due, the longest waiting first, through
 * the stores' index of them. Stops early once sends keep failing, to be tried again next run.
 */
export async function sendDueNotices(services: Sender, log: Logger): Promise<{ sent: number; failed: number }> {
  const orders = await services.orders.listNoticesDue(services.clock.now(), SWEEP_BATCH);
  let sent = 0;
  let failed = 0;
  for (const order of orders) {
    const outcomes = await sendOrderNotices(services, order, log);
    sent += outcomes.filter((outcome) => outcome === 'sent').length;
    failed += outcomes.filter((outcome) => outcome === 'failed').length;
    if (failed >= SWEEP_FAILURES) break;
  }
  return { sent, failed };
}

/**
 * The services with an order store that, after any write leaving an email due, starts sending it
 * without waiting: the customer's request never waits for the mail server and never fails with
 * it. Whatever the kick does not finish (a failure, a process ended first), the sweeper does.
 */
export function withNoticeKick<T extends Services>(services: T, log: Logger): T {
  const raw = services.orders;
  const sender: Sender = { ...services, orders: raw };
  const kick = (order: StoredOrder) => {
    if (dueNotices(order, services.clock.now()).length === 0) return;
    sendOrderNotices(sender, order, log).catch((error: unknown) => log.warn(`order ${order.orderId}: its email waits for the outbox sweeper`, error));
  };
  const orders: OrderStore = Object.assign(Object.create(raw) as OrderStore, {
    async insertIfAbsent(order: StoredOrder) {
      const result = await raw.insertIfAbsent(order);
      if (result !== 'number_taken' && result.inserted) kick(result.order);
      return result;
    },
    async replace(order: StoredOrder, expectedVersion: number) {
      const result = await raw.replace(order, expectedVersion);
      if (result.outcome === 'replaced') kick(result.value);
      return result;
    },
  });
  return { ...services, orders };
}
