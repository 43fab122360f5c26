/**
 * The employee API (/api/manage/*) as the admin page uses it; docs/api.md has the routes. The
 * shapes are the API's own contract (functions/src/http/contract), imported as types only.
 */
import { ApiError, request, type ApiPath, type GetReply, type Route } from '$shared/request';
import type { Order as AdminOrderShape, OrderStatus } from '../../../../functions/src/http/contract/responses';
import type { ReplyOf } from '../../../../functions/src/http/contract/routes';

export { ApiError, apiPath } from '$shared/request';
export { sendJson } from '$shared/sendJson';
export { request, type OrderStatus };
export type {
  AdminProduct,
  AiCapabilities,
  AuditEntry,
  DeadLetter,
  EnrichmentStatus,
  Order as AdminOrder,
  Overview,
  Page,
} from '../../../../functions/src/http/contract/responses';
export type { ReplyOf };

export const ORDER_STATUSES: OrderStatus[] = ['awaiting_payment', 'received', 'pending', 'processing', 'completed', 'rejected', 'cancelled'];

/** The employee's words for each status: the state machine's own names. */
export const STATUS_NAME: Record<OrderStatus, string> = {
  awaiting_payment: 'Awaiting payment',
  received: 'Received',
  pending: 'Pending',
  processing: 'Processing',
  completed: 'Completed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

/** The moves the state machine lets an employee make from each status, as buttons; cancelling has its own (it needs a reason). */
export const ACTIONS: Record<OrderStatus, Array<{ to: OrderStatus; label: string }>> = {
  awaiting_payment: [],
  received: [],
  pending: [{ to: 'processing', label: 'Start' }],
  processing: [{ to: 'completed', label: 'Complete' }],
  completed: [],
  rejected: [],
  cancelled: [],
};

export const FINAL: OrderStatus[] = ['completed', 'rejected', 'cancelled'];

/** What an employee may still cancel: nobody has started on it (domain/order.ts isCancellable). */
export const CANCELLABLE: OrderStatus[] = ['awaiting_payment', 'received', 'pending'];

type Payment = NonNullable<AdminOrderShape['payment']>;
/** A payment's state, in the employee's words. */
export const PAYMENT_NAME: Record<Payment['status'], string> = {
  unpaid: 'Not paid',
  processing: 'Charging the card',
  requires_action: 'Waiting for the customer to confirm',
  paid: 'Paid',
  failed: 'Declined',
  refund_pending: 'Refund pending',
  refunded: 'Refunded',
};
export const PROVIDER_NAME: Record<Payment['provider'], string> = { demo: 'Demo provider (test cards)', stripe: 'Stripe' };

/** GET of a path made by apiPath, never from the browser's cache: the reply is what the contract says that route answers. */
export async function getJson<R extends Route>(path: ApiPath<R>): Promise<GetReply<R>> {
  return (await (await request(path, { cache: 'no-store' })).json()) as GetReply<R>;
}

export interface Poller {
  /** Asks again now (after an action), instead of at the next tick. */
  refresh(): void;
  stop(): void;
}

/**
 * Polls one resource with If-None-Match: `changed` gets it when it changed (200); a 304 costs
 * nothing. `failed` hears of every failed try; polling goes on.
 */
export function poll<R extends Route>(path: ApiPath<R>, changed: (value: GetReply<R>) => void, failed: (error: unknown) => void, everyMs = 3000): Poller {
  let etag = '';
  let stopped = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  async function once() {
    try {
      const response = await request(path, { cache: 'no-store', headers: etag ? { 'if-none-match': etag } : {} });
      if (response.status === 304 || stopped) return;
      const value = (await response.json()) as GetReply<R>;
      if (stopped) return;
      etag = response.headers.get('etag') ?? '';
      changed(value);
    } catch (error) {
      if (!stopped) failed(error);
    }
  }
  void (async () => {
    while (!stopped) {
      again = false;
      await once();
      // A refresh asked for while the request was under way wants an answer from after it.
      if (!again) await new Promise<void>((resolve) => ((wake = resolve), (timer = setTimeout(resolve, everyMs))));
      wake = undefined;
    }
  })();
  return {
    refresh() {
      again = true;
      clearTimeout(timer);
      wake?.();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      wake?.();
    },
  };
}

/** Who is signed in, from the Static Web Apps auth endpoint (the CLI's emulator locally). */
export interface ClientPrincipal {
  userId: string;
  userDetails: string;
  identityProvider: string;
  userRoles: string[];
}

export async function whoAmI(): Promise<ClientPrincipal | null> {
  const response = await fetch('/.auth/me', { cache: 'no-store' });
  if (!response.ok) throw new ApiError(response.status, 'auth_me', 'Could not tell who is signed in.');
  return ((await response.json()) as { clientPrincipal: ClientPrincipal | null }).clientPrincipal;
}
