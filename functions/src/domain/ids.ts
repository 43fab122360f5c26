import { createHash, randomBytes } from 'node:crypto';

/** 128 random bits, url-safe: unguessable order and product ids. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** The same Idempotency-Key always names the same order, so retries find it. */
export function orderIdForKey(idempotencyKey: string): string {
  return createHash('sha256').update(`order:${idempotencyKey}`).digest('base64url').slice(0, 22);
}

/** A fingerprint of what was asked, to tell a retry from a different request under the same key. */
export function fingerprint(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('base64url');
}
