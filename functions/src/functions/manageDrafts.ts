import { acceptDraft, acceptDrafts, discardDraft } from '../app/drafts.js';
import { productNotFound } from '../domain/errors.js';
import { DRAFT_FIELDS } from '../domain/product.js';
import { draftAcceptBody, draftsAcceptBody, idParams } from '../domain/schemas.js';
import { parseBody, parseParams } from '../http/parse.js';
import type { EmployeeHandler, HttpHandler } from '../http/types.js';

/** The product as employees see it: with its draft, if any. */
export const manageGetProduct: HttpHandler = async (request, { products }) => {
  const { id } = parseParams(request, idParams);
  const product = await products.get(id);
  if (!product) throw productNotFound(id);
  return { status: 200, body: product };
};

export const manageAcceptDraft: EmployeeHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  const { version, fields = [...DRAFT_FIELDS] } = parseBody(request, draftAcceptBody);
  return { status: 200, body: await acceptDraft(services, request.principal, id, version, fields) };
};

export const manageDiscardDraft: EmployeeHandler = async (request, services) => {
  const { id } = parseParams(request, idParams);
  await discardDraft(services, request.principal, id);
  return { status: 204 };
};

export const manageAcceptDrafts: EmployeeHandler = async (request, services) => {
  const { productIds } = parseBody(request, draftsAcceptBody);
  return { status: 200, body: { results: await acceptDrafts(services, request.principal, productIds) } };
};
