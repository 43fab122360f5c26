/** The store's HTTP API, as the storefront uses it. Shapes mirror docs/api.md. */

export interface Product {
  id: string;
  name: string;
  description: string;
  priceCents: number;
  imageUrl: string;
  tags: string[];
  stock: number;
}

export interface ProductPage {
  items: Product[];
  nextCursor: string | null;
  /** How many products match the search in all. */
  total: number;
}

export type OrderStatus = 'received' | 'pending' | 'processing' | 'completed' | 'rejected' | 'cancelled';

export interface Order {
  orderId: string;
  customer: { name?: string; email?: string };
  items: Array<{ productId: string; name: string; quantity: number; unitPriceCents: number }>;
  totalCents: number;
  status: OrderStatus;
  history: Array<{ status: OrderStatus; at: string; reason?: string }>;
  createdAt: string;
}

export interface ErrorDetail {
  message: string;
  path?: string;
  productId?: string;
  available?: number;
}

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

/** Ids are url-safe tokens of 1-64 characters; anything else cannot name a product or order. */
export const isId = (id: string) => /^[A-Za-z0-9_-]{1,64}$/.test(id);

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

export async function getJson<T>(path: string): Promise<T> {
  return (await (await request(path)).json()) as T;
}

export function listProducts(query: { q?: string; tag?: string; cursor?: string | null; limit?: number }): Promise<ProductPage> {
  const params = new URLSearchParams();
  if (query.q) params.set('q', query.q);
  if (query.tag) params.set('tag', query.tag);
  if (query.cursor) params.set('cursor', query.cursor);
  params.set('limit', String(query.limit ?? 12));
  return getJson(`/products?${params}`);
}
