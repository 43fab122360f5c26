/** The employee API (/api/manage/*) as the admin page uses it; docs/api.md has the routes. */
import { ApiError, request, type Order, type OrderStatus, type Product } from '../../../src/lib/api';

export { ApiError, request, type OrderStatus };

export interface AdminOrder extends Order {
  version: number;
  updatedAt: string;
}

export interface AdminProduct extends Product {
  version: number;
  updatedAt: string;
  /** AI suggestions waiting for review (GET /api/manage/products/{id} only). */
  draft?: { description?: string; imageUrl?: string; at: string; jobId?: string };
}

export interface AiCapability {
  available: boolean;
  reason?: string;
}

export interface AiCapabilities {
  description?: AiCapability;
  image?: AiCapability;
  enrichment?: AiCapability;
}

export type ProductProgress =
  | { productId: string; state: 'pending' | 'running' }
  | { productId: string; state: 'ok'; wrote: string[] }
  | { productId: string; state: 'failed'; reason: string };

/** GET /api/manage/enrichment/{id}. */
export interface EnrichmentStatus {
  id: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'terminated' | 'unknown';
  createdAt: string | null;
  progress: { total: number; done: number; products: ProductProgress[] } | null;
  result: { total: number; ok: number; failed: number } | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface DeadLetter {
  sequenceNumber: string;
  messageId: string;
  /** The start of the body; bodyLength says how long the whole of it is. */
  body: string;
  bodyLength: number;
  reason: string;
  description: string;
  deliveryCount: number;
  enqueuedTimeUtc: string;
  deadLetteredTimeUtc: string | null;
}

export interface AuditEntry {
  id: string;
  at: string;
  actor: { userId?: string; userDetails?: string; identityProvider?: string };
  action: string;
  target: string;
  /** What people call the target, as it was then (a product's name). */
  targetName?: string;
  before: unknown;
  after: unknown;
}

export interface Check {
  status: 'ok' | 'down';
  latencyMs: number;
  error?: string;
}

export interface Overview {
  ordersPerMinute: Array<{ minute: string; count: number }>;
  ordersByStatus: Record<OrderStatus, number>;
  /** Orders still received after the outbox stopped re-sending them, counted up to `limit`. */
  stuckOrders: { count: number; limit: number; receivedBefore: string };
  queue: { active: number; deadLettered: number } | null;
  health: { status: 'ok' | 'degraded'; checks: Record<string, Check> };
}

export const ORDER_STATUSES: OrderStatus[] = ['received', 'pending', 'processing', 'completed', 'rejected', 'cancelled'];

/** The employee's words for each status: the state machine's own names. */
export const STATUS_NAME: Record<OrderStatus, string> = {
  received: 'Received',
  pending: 'Pending',
  processing: 'Processing',
  completed: 'Completed',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

/** The moves the state machine lets an employee make from each status, as buttons. */
export const ACTIONS: Record<OrderStatus, Array<{ to: OrderStatus; label: string }>> = {
  received: [],
  pending: [
    { to: 'processing', label: 'Start' },
    { to: 'cancelled', label: 'Cancel' },
  ],
  processing: [{ to: 'completed', label: 'Complete' }],
  completed: [],
  rejected: [],
  cancelled: [],
};

export const FINAL: OrderStatus[] = ['completed', 'rejected', 'cancelled'];

export async function getJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  return (await (await request(path, { cache: 'no-store', ...init })).json()) as T;
}

/**
 * A change (POST, PUT, DELETE). It always declares application/json, a body or not: the API
 * refuses changes without it, as they are what another site's form could send (docs/api.md).
 */
export async function sendJson<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await request(path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  return (response.status === 204 ? undefined : await response.json()) as T;
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
export function poll<T>(path: string, changed: (value: T) => void, failed: (error: unknown) => void, everyMs = 3000): Poller {
  let etag = '';
  let stopped = false;
  let again = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | undefined;
  async function once() {
    try {
      const response = await request(path, { cache: 'no-store', headers: etag ? { 'if-none-match': etag } : {} });
      if (response.status === 304 || stopped) return;
      const value = (await response.json()) as T;
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
