import type { Cents } from './money.js';

export interface Product {
  id: string;
  name: string;
  description: string;
  priceCents: Cents;
  imageUrl: string;
  tags: string[];
  stock: number;
  /** Bumped by every change, stock reservations included; guards optimistic updates. */
  version: number;
  /** When the product was added: the catalog's "newest" order. */
  createdAt: string;
  updatedAt: string;
  /**
   * AI-written suggestions waiting for an employee to accept or discard them; never shown in the
   * storefront and never part of version (writing one is not an edit of the product).
   */
  draft?: ProductContentDraft | undefined;
}

/** The most of one product the store keeps; a restock that would pass it is refused. */
export const MAX_STOCK = 1_000_000;
/** The most one restock adds. */
export const MAX_RESTOCK = 10_000;

export interface ProductContentDraft {
  description?: string | undefined;
  imageUrl?: string | undefined;
  at: string;
  /** The enrichment job that wrote it, if any. */
  jobId?: string | undefined;
}

export const DRAFT_FIELDS = ['description', 'image'] as const;
export type DraftField = (typeof DRAFT_FIELDS)[number];

/** Most products one enrichment job or one accept-all may take. */
export const MAX_ENRICHMENT_PRODUCTS = 500;

/** The product as the storefront sees it: drafts left out. */
export function publicProduct(product: Product): Product {
  if (product.draft === undefined) return product;
  const { draft: _draft, ...rest } = product;
  return rest;
}

/** The product with the chosen draft fields taken in, and the draft gone; null when nothing to take. */
export function acceptedDraft(current: Product, fields: readonly DraftField[], now: Date): Product | null {
  const draft = current.draft;
  if (!draft) return null;
  const description = fields.includes('description') ? draft.description : undefined;
  const imageUrl = fields.includes('image') ? draft.imageUrl : undefined;
  if (description === undefined && imageUrl === undefined) return null;
  const { draft: _draft, ...rest } = current;
  return {
    ...rest,
    description: description ?? current.description,
    imageUrl: imageUrl ?? current.imageUrl,
    version: current.version + 1,
    updatedAt: now.toISOString(),
  };
}

/** What an employee provides; the store owns id, version, createdAt and updatedAt. */
export interface ProductDraft {
  name: string;
  description: string;
  priceCents: Cents;
  stock: number;
  tags: string[];
  imageUrl?: string | undefined;
}

export const PLACEHOLDER_IMAGE_URL = '/images/placeholder.svg';

export function newProduct(id: string, draft: ProductDraft, now: Date): Product {
  return {
    id,
    name: draft.name,
    description: draft.description,
    priceCents: draft.priceCents,
    imageUrl: draft.imageUrl ?? PLACEHOLDER_IMAGE_URL,
    tags: normalizeTags(draft.tags),
    stock: draft.stock,
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
}

export function revisedProduct(current: Product, draft: ProductDraft, now: Date): Product {
  return {
    ...newProduct(current.id, { ...draft, imageUrl: draft.imageUrl ?? current.imageUrl }, now),
    version: current.version + 1,
    createdAt: current.createdAt,
  };
}

/** Tags are compared case-insensitively, so they are stored lower-case and once each. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()))];
}
