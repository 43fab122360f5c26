import { audit } from '../app/audit.js';
import { productNotFound } from '../domain/product.js';
import { StoreError } from '../domain/errors.js';
import { acceptedDraft, DRAFT_FIELDS, type Product } from '../domain/product.js';
import { draftAcceptBody, draftsAcceptBody, idParams } from '../domain/schemas.js';
import { parseBody, parseParams } from '../http/parse.js';
import type { Principal } from '../http/principal.js';
import type { EmployeeHandler, HttpHandler } from '../http/types.js';
import type { Services } from '../composition.js';

const noDraft = (id: string) => new StoreError('not_found', 'draft_not_found', `Product ${id} has no draft to accept.`);
const stale = (current: number) =>
  new StoreError('conflict', 'stale_version', 'Someone else changed this product first; reload it and try again.', [
    { path: 'version', message: 'stale version', current },
  ]);

/** The product as employees see it: with its draft, if any. */
export const manageGetProduct: HttpHandler = async (request, { products }) => {
  const { id } = parseParams(request, idParams);
  const product = await products.get(id);
  if (!product) throw productNotFound(id);
  return { status: 200, body: product };
};

type Accepted = { outcome: 'accepted'; product: Product } | { outcome: 'stale' | 'missing' | 'no_draft'; current?: number };

/** Takes the draft's fields into the product at `version`, then drops the draft; audited. */
async function accept(services: Services, principal: Principal, current: Product, fields: readonly (typeof DRAFT_FIELDS)[number][]): Promise<Accepted> {
  const next = acceptedDraft(current, fields, services.clock.now());
  if (!next) return { outcome: 'no_draft' };
  const result = await services.products.replace(next, current.version);
  if (result.outcome !== 'replaced') return { outcome: result.outcome, current: current.version };
  await services.products.clearDraft(current.id);
  await audit(services, principal, 'product.draft.accept', current.id, { before: current, after: result.value }, current.name);
  return { outcome: 'accepted', product: result.value };
}

export const manageAcceptDraft: EmployeeHandler = async (request, services) => {
  const { principal } = request;
  const { id } = parseParams(request, idParams);
  const { version, fields = [...DRAFT_FIELDS] } = parseBody(request, draftAcceptBody);
  const current = await services.products.get(id);
  if (!current) throw productNotFound(id);
  if (current.version !== version) throw stale(current.version);
  const accepted = await accept(services, principal, current, fields);
  if (accepted.outcome === 'accepted') return { status: 200, body: accepted.product };
  if (accepted.outcome === 'no_draft') throw noDraft(id);
  throw accepted.outcome === 'missing' ? productNotFound(id) : stale(current.version);
};

export const manageDiscardDraft: EmployeeHandler = async (request, services) => {
  const { principal } = request;
  const { id } = parseParams(request, idParams);
  const current = await services.products.get(id);
  if (!current) throw productNotFound(id);
  if (!current.draft || !(await services.products.clearDraft(id))) throw noDraft(id);
  await audit(services, principal, 'product.draft.discard', id, { before: current.draft }, current.name);
  return { status: 204 };
};

/** Accept all: each product's whole draft at its current version; one product's trouble is its own outcome. */
export const manageAcceptDrafts: EmployeeHandler = async (request, services) => {
  const { principal } = request;
  const { productIds } = parseBody(request, draftsAcceptBody);
  const results = [];
  for (const productId of new Set(productIds)) {
    const current = await services.products.get(productId);
    const accepted: Accepted = current ? await accept(services, principal, current, DRAFT_FIELDS) : { outcome: 'missing' };
    results.push(accepted.outcome === 'accepted' ? { productId, outcome: 'accepted', version: accepted.product.version } : { productId, outcome: accepted.outcome });
  }
  return { status: 200, body: { results } };
};
