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

export class StoreError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
