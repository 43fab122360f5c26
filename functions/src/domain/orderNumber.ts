import { createHash, randomBytes } from 'node:crypto';

/** Digits and capitals without 0/O and 1/I, which people misread: 32 symbols, 5 bits each. */
export const ORDER_NUMBER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const LENGTH = 6;
const PREFIX = 'BB-';

export const ORDER_NUMBER_PATTERN = new RegExp(`^${PREFIX}[${ORDER_NUMBER_ALPHABET}]{${LENGTH}}$`);

function spell(bytes: Uint8Array): string {
  let symbols = '';
  for (let index = 0; index < LENGTH; index++) symbols += ORDER_NUMBER_ALPHABET[bytes[index]! % ORDER_NUMBER_ALPHABET.length];
  return PREFIX + symbols;
}

/**
 * The order's number for this attempt. Derived from the order id, so two requests with the same
 * Idempotency-Key (hence the same id) get the same number even when they race; a clash with
 * another order's number (about one in a billion per pair) moves on to the next attempt.
 */
export function orderNumberFor(orderId: string, attempt: number): string {
  return spell(createHash('sha256').update(`number:${orderId}:${attempt}`).digest());
}

/** A number for an order that has none yet (files from before numbers existed). */
export function randomOrderNumber(): string {
  return spell(randomBytes(LENGTH));
}

/**
 * What an employee typed, as a stored number: any case, with or without "BB-", spaces ignored.
 * Null when it cannot be an order number.
 */
export function normalizeOrderNumber(typed: string): string | null {
  const compact = typed.replace(/\s+/g, '').toUpperCase();
  const bare =
    compact.startsWith(PREFIX) ? compact.slice(PREFIX.length) :
    compact.length === LENGTH + 2 && compact.startsWith('BB') ? compact.slice(2) : // "BB" without the dash
    compact;
  const candidate = PREFIX + bare;
  return ORDER_NUMBER_PATTERN.test(candidate) ? candidate : null;
}
