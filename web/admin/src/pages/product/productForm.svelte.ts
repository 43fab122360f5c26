import { ApiError, type AdminProduct } from '../../lib/api';
import { explain } from '../../lib/session.svelte';

const FIELDS = ['name', 'description', 'price', 'stock', 'tags', 'image'] as const;
export type FieldName = (typeof FIELDS)[number];
/** Where each part of the request body is typed in. */
const FIELD_OF: Record<string, FieldName> = { name: 'name', description: 'description', priceCents: 'price', stock: 'stock', tags: 'tags', imageUrl: 'image' };

/** Dollars as typed ("19.99", "$1,299", "5") to integer cents; null when it is not a price. */
function toCents(text: string): number | null {
  const plain = text.trim().replace(/^\$/, '').replace(/,/g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(plain)) return null;
  const [whole = '0', fraction = ''] = plain.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** The product form's fields as typed, the complaint beside each, and whether a picture is on its way in. */
export class ProductForm {
  fields = $state({ name: '', description: '', price: '', stock: 0 as number | null, tags: '', imageUrl: '' });
  errors = $state<Partial<Record<FieldName, string>>>({});
  uploading = $state(false);
  drawing = $state(false);

  fill(from: AdminProduct): void {
    this.fields = {
      name: from.name,
      description: from.description,
      price: (from.priceCents / 100).toFixed(2),
      stock: from.stock,
      tags: from.tags.join(', '),
      imageUrl: from.imageUrl,
    };
  }

  tagList(): string[] {
    return this.fields.tags.split(',').map((tag) => tag.trim()).filter(Boolean);
  }

  /**
   * The request body for a create or save, or undefined with a complaint in words beside every
   * field that needs a change, all in one round. The limits are the API's (productInput in
   * functions/src/domain/schemas.ts), as the fields' hints say them.
   */
  body() {
    const { name, description, stock, imageUrl } = this.fields;
    const priceCents = toCents(this.fields.price);
    const tags = this.tagList();
    const found: Partial<Record<FieldName, string>> = {};
    if (!name.trim()) found.name = 'Type the product’s name.';
    else if (name.trim().length > 120) found.name = `Shorten the name to 120 characters (it has ${name.trim().length}).`;
    if (description.trim().length > 2000) found.description = `Shorten the description to 2,000 characters (it has ${description.trim().length}).`;
    if (priceCents === null) found.price = 'Type the price in dollars, for example 19.99.';
    else if (priceCents > 100_000_000) found.price = 'A price can be at most $1,000,000.';
    // An emptied number field reads as null, which the API would refuse as not a number.
    if (stock === null || !Number.isInteger(stock) || stock < 0) found.stock = 'Type how many are in stock, a whole number (0 or more).';
    else if (stock > 1_000_000) found.stock = 'Stock can be at most 1,000,000.';
    if (tags.length > 20) found.tags = `Use at most 20 tags (there are ${tags.length}).`;
    else if (tags.some((tag) => tag.length > 32)) found.tags = `Shorten each tag to 32 characters: ${tags.filter((tag) => tag.length > 32).join(', ')}.`;
    this.errors = found;
    if (Object.keys(found).length > 0 || priceCents === null || stock === null) return undefined;
    return { name, description, priceCents, stock, tags, ...(imageUrl ? { imageUrl } : {}) };
  }

  clear(field: FieldName): void {
    const { [field]: _old, ...others } = this.errors;
    this.errors = others;
  }

  /** The store's own words beside `field`; a lost connection or sign-in in the page's words. */
  complain(field: FieldName, error: unknown): void {
    this.errors = { ...this.errors, [field]: error instanceof ApiError && error.status !== 0 ? error.message : explain(error) };
  }

  /** Puts the API's complaints about the body beside the fields they name; false when it named none. */
  takeComplaints(error: unknown): boolean {
    if (!(error instanceof ApiError)) return false;
    const found: typeof this.errors = {};
    for (const detail of error.details) {
      const field = detail.path ? FIELD_OF[detail.path.split('.')[0]!] : undefined;
      if (field) found[field] = found[field] ? `${found[field]} ${detail.message}` : detail.message;
    }
    if (Object.keys(found).length === 0) return false;
    this.errors = found;
    return true;
  }

  /** The first field with a complaint, in the order they are shown. */
  firstInvalid(): FieldName | undefined {
    return FIELDS.find((field) => this.errors[field]);
  }

  /** The AI's answer to one request, or its complaint beside `field` (the AI can be busy, slow or refuse). */
  async ask<T>(field: FieldName, request: () => Promise<T>): Promise<T | undefined> {
    this.clear(field);
    try {
      return await request();
    } catch (error) {
      this.complain(field, error);
      return undefined;
    }
  }
}
