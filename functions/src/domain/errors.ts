/**
 * What went wrong, in the store's words. The HTTP layer maps each kind to a status;
 * the domain never speaks HTTP.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unavailable'
  /** A service the store depends on did not answer in time (504). */
  | 'timeout';

export interface ErrorDetail {
  path?: string;
  message: string;
  [key: string]: unknown;
}

export interface StoreErrorOptions {
  /** The failure behind this one, kept for the log. */
  cause?: unknown;
  /**
   * Set when the failure is passing (a full disk, a busy store): the same request may succeed
   * later, and this says how many seconds to wait before trying (HTTP's Retry-After).
   */
  retryAfterSeconds?: number;
}

export class StoreError extends Error {
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    { cause, retryAfterSeconds }: StoreErrorOptions = {},
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'StoreError';
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
