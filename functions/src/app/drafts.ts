import { draftNotFound, productChangedFirst, productNotFound } from '../domain/errors.js';
import { acceptedDraft, DRAFT_FIELDS, type DraftField, type Product } from '../domain/product.js';
import type { Principal, Services } from '../ports.js';
import { audit } from './audit.js';

type Accepted = { outcome: 'accepted'; product: Product } | { outcome: 'stale' | 'missing' | 'no_draft' };

/** Takes the draft's fields into the product at its version, then drops the draft; audited. */
async function accept(services: Services, employee: Principal, current: Product, fields: readonly DraftField[]): Promise<Accepted> {
  const next = acceptedDraft(current, fields, services.clock.now());
  if (!next) return { outcome: 'no_draft' };
  const result = await services.products.replace(next, current.version);
  if (result.outcome !== 'replaced') return { outcome: result.outcome };
  await services.products.clearDraft(current.id);
  await audit(services, employee, 'product.draft.accept', current.id, { before: current, after: result.value }, current.name);
  return { outcome: 'accepted', product: result.value };
}

/** An employee takes some or all of a product's AI draft into it, guarded by the version they saw. */
export async function acceptDraft(services: Services, employee: Principal, id: string, version: number, fields: readonly DraftField[]): Promise<Product> {
  const current = await services.products.get(id);
  if (!current) throw productNotFound(id);
  if (current.version !== version) throw productChangedFirst(current.version);
  const accepted = await accept(services, employee, current, fields);
  if (accepted.outcome === 'accepted') return accepted.product;
  if (accepted.outcome === 'no_draft') throw draftNotFound(id);
  throw accepted.outcome === 'missing' ? productNotFound(id) : productChangedFirst(current.version);
}

/** An employee throws a product's AI draft away. */
export async function discardDraft(services: Services, employee: Principal, id: string): Promise<void> {
  const current = await services.products.get(id);
  if (!current) throw productNotFound(id);
  if (!current.draft || !(await services.products.clearDraft(id))) throw draftNotFound(id);
  await audit(services, employee, 'product.draft.discard', id, { before: current.draft }, current.name);
}

export type DraftAcceptance = { productId: string; outcome: 'accepted'; version: number } | { productId: string; outcome: 'stale' | 'missing' | 'no_draft' };

/** Accept all: each product's whole draft at its current version; one product's trouble is its own outcome. */
export async function acceptDrafts(services: Services, employee: Principal, productIds: readonly string[]): Promise<DraftAcceptance[]> {
  const results: DraftAcceptance[] = [];
  for (const productId of new Set(productIds)) {
    const current = await services.products.get(productId);
    const accepted: Accepted = current ? await accept(services, employee, current, DRAFT_FIELDS) : { outcome: 'missing' };
    results.push(accepted.outcome === 'accepted' ? { productId, outcome: 'accepted', version: accepted.product.version } : { productId, outcome: accepted.outcome });
  }
  return results;
}
