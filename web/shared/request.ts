/** Both apps' one way to call the store's HTTP API (/api/…), and how a failed call reads. */

import type { ErrorDetail } from '../../functions/src/http/contract/responses';

export type { ErrorDetail };

/** Why a call failed: `status` 0 means the network, not the store, failed. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`/api${path}`, init);
  } catch {
    throw new ApiError(0, 'network', 'We could not reach the store. Check your connection and try again.');
  }
  if (response.ok || response.status === 304) return response;
  let error: { code?: string; message?: string; details?: ErrorDetail[] } = {};
  try {
    error = ((await response.json()) as { error?: typeof error }).error ?? {};
  } catch {
    // not the API's JSON (a proxy or gateway page): the status alone tells the story
  }
  throw new ApiError(response.status, error.code ?? 'http_' + response.status, error.message ?? 'The store could not answer right now. Please try again.', error.details ?? []);
}
