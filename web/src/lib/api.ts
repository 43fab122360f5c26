/**
 * The store's HTTP API, as the storefront uses it. The shapes are the API's own contract
 * (functions/src/http/contract, served as /api/openapi.json): a type-only import, erased from the
 * bundle, so a change to a reply fails this client's type check instead of drifting from it.
 */
import { apiPath, request, type ApiPath, type GetReply, type Route } from '$shared/request';
import type { ReplyOf } from '../../../functions/src/http/contract/routes';

export { ApiError, apiPath, request, type ErrorDetail } from '$shared/request';
// The storefront sees orders as their link shows them (no owner's account id), its own list included.
export type { LinkedOrder as Order, OrderStatus, Product, ProductPage, ShippingAddress } from '../../../functions/src/http/contract/responses';
/** One product as its own page reads it: with how many of it one order may hold. */
export type ProductForSale = ReplyOf<'getProduct'>;
export type { BodyOf, ReplyOf } from '../../../functions/src/http/contract/routes';
export type { GetReply } from '$shared/request';

/** Ids are url-safe tokens of 1-64 characters; anything else cannot name a product or order. */
export const isId = (id: string) => /^[A-Za-z0-9_-]{1,64}$/.test(id);

/** GET of a path made by apiPath: the reply is what the contract says that route answers. */
export async function getJson<R extends Route>(path: ApiPath<R>): Promise<GetReply<R>> {
  return (await (await request(path)).json()) as GetReply<R>;
}

/** The name order is the API's default: left out, so the catalog's first page has one address. */
export function listProducts(query: { q?: string; tag?: string; sort?: string; cursor?: string | null; limit?: number }): Promise<ReplyOf<'getProducts'>> {
  return getJson(apiPath('products', {}, { ...query, sort: query.sort === 'name' ? '' : query.sort, limit: query.limit ?? 12 }));
}
