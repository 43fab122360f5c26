/** The audit log in words people read: what was done, to what, and what changed ("Price $19.99 → $17.99"). */
import { money } from '$shared/format';
import { PROVIDER_NAME } from '$shared/owner';
import { STATUS_NAME, type AuditEntry, type OrderStatus } from './api';

export const ACTION_NAME: Record<string, string> = {
  'order.transition': 'Moved an order',
  'order.resend': 'Sent an order to the makeline again',
  'order.cancel': 'Cancelled an order',
  'order.claim': 'Added an order to their account',
  'product.create': 'Created a product',
  'product.update': 'Edited a product',
  'product.delete': 'Deleted a product',
  'product.restock': 'Restocked a product',
  'product.draft.accept': 'Took in an AI draft',
  'product.draft.discard': 'Threw away an AI draft',
  'image.upload': 'Uploaded a picture',
  'image.generate': 'Drew a picture with AI',
  'deadletter.replay': 'Replayed a dead letter',
  'deadletter.discard': 'Discarded a dead letter',
  'enrichment.completed': 'Filled in products with AI',
};

/** What an entry was done to, as a link where the thing can still be opened. */
export interface Subject {
  text: string;
  href?: string;
}

// The end of an id: new ids begin with their creation time, which orders made together share.
const shortId = (id: string) => `…${id.slice(-8)}`;
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function subjectOf(entry: AuditEntry): Subject {
  const id = encodeURIComponent(entry.target);
  const [kind] = entry.action.split('.');
  if (kind === 'product') {
    const text = entry.targetName ?? 'a product';
    return entry.action === 'product.delete' ? { text } : { text, href: `/admin/products/${id}` };
  }
  if (kind === 'order') return { text: entry.targetName ?? `Order ${shortId(entry.target)}`, href: `/admin/orders/${id}` };
  if (kind === 'image') return { text: 'the picture', href: `/api/images/${id}` };
  if (kind === 'enrichment') return { text: 'the fill-in job', href: `/admin/enrichment/${id}` };
  const orderId = isRecord(entry.before) && typeof entry.before.messageId === 'string' ? entry.before.messageId : undefined;
  if (kind === 'deadletter' && orderId) return { text: `the message for order ${shortId(orderId)}`, href: `/admin/orders/${encodeURIComponent(orderId)}` };
  return { text: entry.target };
}

const clip = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);
const plain = (value: unknown): string =>
  value === null || value === undefined ? 'none' : clip(typeof value === 'string' ? `“${value}”` : JSON.stringify(value));

/** How each field reads; null: bookkeeping that says nothing to a reader. */
const FIELDS: Record<string, { label: string; show?: (value: unknown) => string } | null> = {
  name: { label: 'Name' },
  description: { label: 'Description' },
  priceCents: { label: 'Price', show: (value) => (typeof value === 'number' ? money(value) : plain(value)) },
  stock: { label: 'Stock', show: String },
  tags: { label: 'Tags', show: (value) => (Array.isArray(value) && value.length ? value.join(', ') : 'none') },
  imageUrl: { label: 'Picture', show: (value) => (value ? 'a picture' : 'none') },
  status: { label: 'Status', show: (value) => STATUS_NAME[value as OrderStatus] ?? plain(value) },
  reason: { label: 'Reason' },
  deliveryCount: { label: 'Deliveries', show: String },
  contentType: { label: 'Type', show: String },
  total: { label: 'Products', show: String },
  ok: { label: 'Filled in', show: String },
  failed: { label: 'Failed', show: String },
  // A claim: the account an order now belongs to ("ada (GitHub)"), or Guest.
  owner: { label: 'Owner', show: (value) => (isRecord(value) ? `${String(value.name)} (${PROVIDER_NAME[String(value.identityProvider)] ?? String(value.identityProvider)})` : 'Guest') },
  // A fill-in job: the products that failed and why; the counts are the lines above.
  outcomes: { label: 'Failures', show: failures },
  ...Object.fromEntries(
    ['id', 'version', 'createdAt', 'updatedAt', 'at', 'jobId', 'draft', 'messageId', 'sequenceNumber', 'body', 'enqueuedTimeUtc', 'deadLetteredTimeUtc', 'url', 'productId', 'bytes'].map((key) => [key, null]),
  ),
};

function failures(value: unknown): string {
  const failed = (Array.isArray(value) ? value : []).filter((outcome) => isRecord(outcome) && outcome.state === 'failed');
  return failed.length ? clip(failed.map((outcome) => `product ${shortId(String(outcome.productId))}: ${String(outcome.reason ?? 'failed')}`).join('; ')) : 'none';
}

function field(key: string): { label: string; show: (value: unknown) => string } | null {
  const known = FIELDS[key];
  if (known === null) return null;
  return { label: known?.label ?? key, show: known?.show ?? plain };
}

/**
 * The change in lines: for an edit, each field that changed ("Price $19.99 → $17.99"); for a
 * creation or a removal, what the thing was ("Price $19.99").
 */
export function changeLines(entry: AuditEntry): string[] {
  const before = isRecord(entry.before) ? entry.before : undefined;
  const after = isRecord(entry.after) ? entry.after : undefined;
  const lines: string[] = [];
  for (const key of new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])) {
    const shown = field(key);
    if (!shown) continue;
    if (before && after) {
      const [was, now] = [shown.show(before[key]), shown.show(after[key])];
      if (was !== now) lines.push(`${shown.label} ${was} → ${now}`);
    } else {
      lines.push(`${shown.label} ${shown.show((before ?? after)![key])}`);
    }
  }
  return lines;
}
