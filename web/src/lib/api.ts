/** The store's HTTP API, as the storefront uses it. Shapes mirror docs/api.md. */
import { request } from '$shared/request';

export { ApiError, request, type ErrorDetail } from '$shared/request';

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

/** Ids are url-safe tokens of 1-64 characters; anything else cannot name a product or order. */
export const isId = (id: string) => /^[A-Za-z0-9_-]{1,64}$/.test(id);

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
