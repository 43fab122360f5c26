import { acceptDraft, acceptDrafts, discardDraft } from '../app/drafts.js';
import { productNotFound } from '../domain/errors.js';
import { DRAFT_FIELDS } from '../domain/product.js';
import type { RouteHandler } from '../http/types.js';

/** The product as employees see it: with its draft, if any. */
export const manageGetProduct: RouteHandler<'manageGetProduct'> = async (request, { products }) => {
  const { id } = request.params;
  const product = await products.get(id);
  if (!product) throw productNotFound(id);
  return { status: 200, body: product };
};

export const manageAcceptDraft: RouteHandler<'manageAcceptDraft'> = async (request, services) => {
  const { version, fields = [...DRAFT_FIELDS] } = request.body;
  return { status: 200, body: await acceptDraft(services, request.principal, request.params.id, version, fields) };
};

export const manageDiscardDraft: RouteHandler<'manageDiscardDraft'> = async (request, services) => {
  await discardDraft(services, request.principal, request.params.id);
  return { status: 204 };
};

export const manageAcceptDrafts: RouteHandler<'manageAcceptDrafts'> = async (request, services) => ({
  status: 200,
  body: { results: await acceptDrafts(services, request.principal, request.body.productIds) },
});
