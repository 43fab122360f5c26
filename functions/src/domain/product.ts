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
  updatedAt: string;
}

/** What an employee provides; the store owns id, version and updatedAt. */
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
    updatedAt: now.toISOString(),
  };
}

export function revisedProduct(current: Product, draft: ProductDraft, now: Date): Product {
  return {
    ...newProduct(current.id, { ...draft, imageUrl: draft.imageUrl ?? current.imageUrl }, now),
    version: current.version + 1,
  };
}

/** Tags are compared case-insensitively, so they are stored lower-case and once each. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()))];
}
