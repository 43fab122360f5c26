/**
 * Which changes of an order its customer hears about by email, and what became of each email.
 * Notices are a transactional outbox kept inside the order document: the write that makes the
 * change appends the notice, so the two cannot part; a sender (app/orderNotices.ts) mails it
 * later and records it sent. Internal: publicOrder() leaves them out of every reply.
 */

export const NOTICE_KINDS = ['confirmation', 'completed', 'cancelled', 'rejected', 'payment_failed'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface Notice {
  kind: NoticeKind;
  /** When the change happened. */
  at: string;
  sentAt?: string;
  /** Tries so far, the one under way included. */
  attempts?: number;
  /** Not to be tried before then: a sender holds it while sending, and a failed try waits its backoff. */
  retryAt?: string;
  /** Given up: never sent, and why (mail off, or every try failed). */
  failedAt?: string;
  failure?: string;
}

/** What a notice needs of an order: where to send it and what was sent already. */
interface Noticeable {
  customer: { email?: string };
  notices?: Notice[];
}

/** The status changes a customer is told about; outcomeApplied (domain/paymentSteps.ts) adds confirmation and payment_failed. */
const NOTICE_FOR_STATUS: Partial<Record<string, NoticeKind>> = {
  completed: 'completed',
  cancelled: 'cancelled',
  rejected: 'rejected',
};

export function noticeForStatus(status: string): NoticeKind | undefined {
  return NOTICE_FOR_STATUS[status];
}

/**
 * The order with a pending notice of this kind, to be stored in the same write as the change.
 * At most one per order and kind, ever; none for an order without an email address.
 */
export function addNotice<T extends Noticeable>(order: T, kind: NoticeKind, now: Date): T {
  if (!order.customer.email) return order;
  if (order.notices?.some((notice) => notice.kind === kind)) return order;
  return { ...order, notices: [...(order.notices ?? []), { kind, at: now.toISOString() }] };
}

/** How long a sender holds a notice it is sending: past it, another sender may try again. */
export const SENDING_HOLD_MS = 2 * 60_000;
/** Tries before a notice is given up: with the backoff below, about 8.5 hours of a mail server down. */
export const MAX_NOTICE_ATTEMPTS = 10;
const BACKOFF_CAP_MS = 2 * 60 * 60_000;

/** Wait after the n-th failed try: 1, 2, 4 … minutes, at most 2 hours. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), BACKOFF_CAP_MS);
}

const isOpen = (notice: Notice) => notice.sentAt === undefined && notice.failedAt === undefined;
const dueAt = (notice: Notice) => notice.retryAt ?? notice.at;

/**
 * When the order's next notice may be sent: the earliest of its open ones, or undefined when none
 * is open. The stores index orders by it, so the sweeper finds due notices without a scan.
 */
export function noticeDueAt(order: Noticeable): string | undefined {
  const due = (order.notices ?? []).filter(isOpen).map(dueAt);
  return due.length === 0 ? undefined : due.reduce((earliest, at) => (at < earliest ? at : earliest));
}

/** The open notices that may be sent now. */
export function dueNotices(order: Noticeable, now: Date): Notice[] {
  const at = now.toISOString();
  return (order.notices ?? []).filter((notice) => isOpen(notice) && dueAt(notice) <= at);
}

function withNotice<T extends Noticeable>(order: T, kind: NoticeKind, change: (notice: Notice) => Notice): T {
  return { ...order, notices: (order.notices ?? []).map((notice) => (notice.kind === kind ? change(notice) : notice)) };
}

/** A sender takes the notice: one more try, held from other senders while it sends. */
export function holdForSending<T extends Noticeable>(order: T, kind: NoticeKind, now: Date): T {
  return withNotice(order, kind, (notice) => ({
    ...notice,
    attempts: (notice.attempts ?? 0) + 1,
    retryAt: new Date(now.getTime() + SENDING_HOLD_MS).toISOString(),
  }));
}

export function markSent<T extends Noticeable>(order: T, kind: NoticeKind, now: Date): T {
  return withNotice(order, kind, ({ retryAt: _held, ...notice }) => ({ ...notice, sentAt: now.toISOString() }));
}

/** A try failed: wait the backoff, or give up after the last try. */
export function markFailedTry<T extends Noticeable>(order: T, kind: NoticeKind, now: Date, failure: string): T {
  return withNotice(order, kind, (notice) => {
    const attempts = notice.attempts ?? 1;
    if (attempts >= MAX_NOTICE_ATTEMPTS) return markGivenUp(notice, now, failure);
    return { ...notice, failure, retryAt: new Date(now.getTime() + backoffMs(attempts)).toISOString() };
  });
}

/** Never to be sent (mail is off): recorded so it does not wait for ever, nor go out much later. */
export function markNotSent<T extends Noticeable>(order: T, kind: NoticeKind, now: Date, why: string): T {
  return withNotice(order, kind, (notice) => markGivenUp(notice, now, why));
}

function markGivenUp({ retryAt: _waiting, ...notice }: Notice, now: Date, failure: string): Notice {
  return { ...notice, failedAt: now.toISOString(), failure };
}

/** What versioning an order's outbox writes needs of it. */
interface Versioned {
  version: number;
  /** How many of its writes only kept its email outbox. */
  noticeWrites?: number;
}

/**
 * The version people act on: the stored version less the writes that only kept the email outbox.
 * An employee who saw version 4 is not told someone moved the order first because its
 * confirmation was mailed since. Compare-and-set in the stores still uses the stored version.
 */
export const changeVersion = (order: Versioned): number => order.version - (order.noticeWrites ?? 0);

/** A write of the email outbox alone: a new stored version, the same changeVersion. */
export const outboxWrite = <T extends Versioned>(order: T): T => ({ ...order, version: order.version + 1, noticeWrites: (order.noticeWrites ?? 0) + 1 });
