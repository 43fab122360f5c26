import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acceptDraft, acceptDrafts, discardDraft } from '../../src/app/drafts.js';
import { draftProductContent, auditEnrichmentJob, startEnrichment } from '../../src/app/enrichmentJobs.js';
import { generateImage, uploadImage } from '../../src/app/images.js';
import { createProduct, deleteProduct, updateProduct } from '../../src/app/products.js';
import { restockLowProducts, restockProduct, VIRTUAL_SUPPLIER } from '../../src/app/restock.js';
import type { ProductDraft } from '../../src/domain/product.js';
import { aiBusy, aiNotConfigured, contentFiltered } from '../../src/domain/errors.js';
import type { AuditEntry, ContentWriter, EnrichmentClient, EnrichmentInput } from '../../src/ports.js';
import { TINY_PNG } from '../support/images.js';
import { addProduct, silentLog, tempServices, withPort } from '../support/services.js';

/**
 * The catalog's use cases as an employee meets them, on the embedded store: what changes, what is
 * refused (and then changes nothing), and what the audit log says about it.
 */

const EMPLOYEE = { userId: 'e1', userDetails: 'grace@example.com', identityProvider: 'aad', userRoles: ['authenticated', 'admin'] };
const WHO = { userId: 'e1', userDetails: 'grace@example.com', identityProvider: 'aad' };
const lamp: ProductDraft = { name: 'Desk Lamp', description: 'Lights a desk.', priceCents: 1999, stock: 4, tags: ['home'] };

type Services = ReturnType<typeof tempServices>;

let services: Services;
beforeEach(() => {
  services = tempServices({ IMAGE_URL_HOSTS: 'cdn.example.com', LOW_STOCK_THRESHOLD: '5', RESTOCK_QUANTITY: '20' });
});
afterEach(() => services.dispose());

const auditLog = async (): Promise<AuditEntry[]> => (await services.audit.list({ limit: 100 })).items;

describe('products', () => {
  it('creates a product and records who did it under its name', async () => {
    const created = await createProduct(services, EMPLOYEE, lamp);
    expect(await services.products.get(created.id)).toEqual(created);
    const [entry] = await auditLog();
    expect(entry).toMatchObject({ actor: WHO, action: 'product.create', target: created.id, targetName: 'Desk Lamp', before: null, after: created });
  });

  it.each([
    ['creating', () => createProduct(services, EMPLOYEE, { ...lamp, imageUrl: 'https://evil.example/x.png' })],
    ['changing', async () => {
      const product = await addProduct(services);
      return updateProduct(services, EMPLOYEE, product.id, 1, { ...lamp, imageUrl: 'https://evil.example/x.png' });
    }],
  ])('refuses a picture from a host nobody allowed when %s, and records nothing', async (_when, act) => {
    await expect(act()).rejects.toMatchObject({ code: 'image_url_not_allowed' });
    expect(await auditLog()).toEqual([]);
  });

  it('takes a picture from an allowed host', async () => {
    const created = await createProduct(services, EMPLOYEE, { ...lamp, imageUrl: 'https://cdn.example.com/lamp.png' });
    expect(created.imageUrl).toBe('https://cdn.example.com/lamp.png');
  });

  it('changes a product at the version the employee saw, keeping a picture whose host is no longer allowed', async () => {
    const product = await addProduct(services, { imageUrl: 'https://old.example/lamp.png' });
    const updated = await updateProduct(services, EMPLOYEE, product.id, 1, { ...lamp, imageUrl: 'https://old.example/lamp.png' });
    expect(updated).toMatchObject({ name: 'Desk Lamp', version: 2, imageUrl: 'https://old.example/lamp.png' });
    expect(await services.products.get(product.id)).toEqual(updated);
    const [entry] = await auditLog();
    expect(entry).toMatchObject({ action: 'product.update', target: product.id, targetName: 'Desk Lamp', before: product, after: updated });
  });

  it.each([
    ['at an older version', 'stale_version', async (id: string) => updateProduct(services, EMPLOYEE, id, 7, lamp)],
    ['of a product that is not there', 'product_not_found', async () => updateProduct(services, EMPLOYEE, 'ghost', 1, lamp)],
  ])('refuses a change %s', async (_what, code, act) => {
    const product = await addProduct(services);
    await expect(act(product.id)).rejects.toMatchObject({ code });
    expect(await services.products.get(product.id)).toEqual(product);
    expect(await auditLog()).toEqual([]);
  });

  it('refuses a change that loses the race to another, naming the version now', async () => {
    const product = await addProduct(services);
    const racing = withPort(services, 'products', { replace: async () => ({ outcome: 'stale' as const }) });
    await expect(updateProduct(racing, EMPLOYEE, product.id, 1, lamp)).rejects.toMatchObject({ code: 'stale_version', details: [expect.objectContaining({ current: 1 })] });
    const deleting = withPort(services, 'products', { replace: async () => ({ outcome: 'missing' as const }) });
    await expect(updateProduct(deleting, EMPLOYEE, product.id, 1, lamp)).rejects.toMatchObject({ code: 'product_not_found' });
    expect(await auditLog()).toEqual([]);
  });

  it('deletes a product once, recording what it was', async () => {
    const product = await addProduct(services);
    await deleteProduct(services, EMPLOYEE, product.id);
    expect(await services.products.get(product.id)).toBeNull();
    await expect(deleteProduct(services, EMPLOYEE, product.id)).rejects.toMatchObject({ code: 'product_not_found' });
    const entries = await auditLog();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'product.delete', target: product.id, targetName: product.name, before: product, after: null });
  });
});

describe('restocking', () => {
  it('adds to the stock and records it before and after', async () => {
    const product = await addProduct(services, { stock: 3 });
    const restocked = await restockProduct(services, EMPLOYEE, product.id, 7);
    expect(restocked.stock).toBe(10);
    const [entry] = await auditLog();
    expect(entry).toMatchObject({ action: 'product.restock', target: product.id, targetName: product.name, before: { stock: 3 }, after: { stock: 10 } });
  });

  it.each([
    ['a product that is not there', 'ghost', 5, 'product_not_found'],
    ['past the most a product may hold', 'real', 999_999, 'stock_limit'],
  ])('refuses %s', async (_what, which, quantity, code) => {
    const product = await addProduct(services, { stock: 3 });
    await expect(restockProduct(services, EMPLOYEE, which === 'real' ? product.id : which, quantity)).rejects.toMatchObject({ code });
    expect((await services.products.get(product.id))!.stock).toBe(3);
    expect(await auditLog()).toEqual([]);
  });

  it('has the virtual supplier restock what runs low, and only that', async () => {
    const low = await addProduct(services, { name: 'Low', stock: 4 });
    const out = await addProduct(services, { name: 'Out', stock: 0 });
    const plenty = await addProduct(services, { name: 'Plenty', stock: 5 });
    expect(await restockLowProducts(services)).toBe(2);
    expect((await services.products.get(low.id))!.stock).toBe(24);
    expect((await services.products.get(out.id))!.stock).toBe(20);
    expect((await services.products.get(plenty.id))!.stock).toBe(5);
    expect((await auditLog()).map((entry) => entry.actor)).toEqual([VIRTUAL_SUPPLIER, VIRTUAL_SUPPLIER]);
  });

  it('has the virtual supplier skip a product deleted or filled meanwhile, and fail on anything else', async () => {
    const low = await addProduct(services, { stock: 1 });
    const gone = withPort(services, 'products', { restock: async () => ({ outcome: 'missing' as const }) });
    expect(await restockLowProducts(gone)).toBe(0);
    const broken = withPort(services, 'products', { restock: async () => Promise.reject(new Error('disk gone')) });
    await expect(restockLowProducts(broken)).rejects.toThrow('disk gone');
    expect((await services.products.get(low.id))!.stock).toBe(1);
  });
});

describe('AI drafts', () => {
  async function drafted(draft = { description: 'A warm lamp.', imageUrl: '/api/images/new' }) {
    const product = await addProduct(services);
    await services.products.saveDraft(product.id, { ...draft, at: new Date().toISOString() });
    return product;
  }

  it('takes the fields asked for into the product, drops the draft and records it', async () => {
    const product = await drafted();
    const accepted = await acceptDraft(services, EMPLOYEE, product.id, 1, ['description']);
    expect(accepted).toMatchObject({ description: 'A warm lamp.', imageUrl: product.imageUrl, version: 2 });
    expect(await services.products.get(product.id)).not.toHaveProperty('draft');
    const [entry] = await auditLog();
    expect(entry).toMatchObject({ action: 'product.draft.accept', target: product.id, targetName: product.name, after: accepted });
  });

  it.each([
    ['of a product that is not there', 'ghost', 1, 'product_not_found'],
    ['at an older version', 'real', 3, 'stale_version'],
    ['of a product without a draft', 'plain', 1, 'draft_not_found'],
  ])('refuses an accept %s', async (_what, which, version, code) => {
    const product = await drafted();
    const plain = await addProduct(services);
    const id = which === 'real' ? product.id : which === 'plain' ? plain.id : which;
    await expect(acceptDraft(services, EMPLOYEE, id, version, ['description', 'image'])).rejects.toMatchObject({ code });
    expect((await services.products.get(product.id))!.draft).toBeDefined();
    expect(await auditLog()).toEqual([]);
  });

  it('refuses an accept that loses the race to another change', async () => {
    const product = await drafted();
    const racing = withPort(services, 'products', { replace: async () => ({ outcome: 'stale' as const }) });
    await expect(acceptDraft(racing, EMPLOYEE, product.id, 1, ['description'])).rejects.toMatchObject({ code: 'stale_version' });
    const deleting = withPort(services, 'products', { replace: async () => ({ outcome: 'missing' as const }) });
    await expect(acceptDraft(deleting, EMPLOYEE, product.id, 1, ['description'])).rejects.toMatchObject({ code: 'product_not_found' });
    expect((await services.products.get(product.id))!.draft).toBeDefined();
  });

  it('discards a draft once, recording what it said', async () => {
    const product = await drafted();
    await discardDraft(services, EMPLOYEE, product.id);
    expect(await services.products.get(product.id)).toMatchObject({ description: product.description, version: 1 });
    expect((await services.products.get(product.id))!.draft).toBeUndefined();
    await expect(discardDraft(services, EMPLOYEE, product.id)).rejects.toMatchObject({ code: 'draft_not_found' });
    await expect(discardDraft(services, EMPLOYEE, 'ghost')).rejects.toMatchObject({ code: 'product_not_found' });
    const entries = await auditLog();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'product.draft.discard', target: product.id, before: { description: 'A warm lamp.' } });
  });

  it('accepts all: each product its own outcome, each named once', async () => {
    const first = await drafted();
    const plain = await addProduct(services);
    const results = await acceptDrafts(services, EMPLOYEE, [first.id, 'ghost', plain.id, first.id]);
    expect(results).toEqual([
      { productId: first.id, outcome: 'accepted', version: 2 },
      { productId: 'ghost', outcome: 'missing' },
      { productId: plain.id, outcome: 'no_draft' },
    ]);
    expect(await services.products.get(first.id)).toMatchObject({ description: 'A warm lamp.', imageUrl: '/api/images/new' });
  });
});

describe('pictures', () => {
  it('stores an upload as what its bytes are, and records it', async () => {
    const stored = await uploadImage(services, EMPLOYEE, TINY_PNG);
    expect(stored).toMatchObject({ contentType: 'image/png', bytes: TINY_PNG.length, url: `/api/images/${stored.id}` });
    expect(await services.images.get(stored.id)).toMatchObject({ contentType: 'image/png' });
    const [entry] = await auditLog();
    expect(entry).toMatchObject({ action: 'image.upload', target: stored.id, after: stored });
  });

  it.each([
    ['an empty body', Buffer.alloc(0), 'empty_image'],
    ['a page', Buffer.from('<html></html>'), 'not_an_image'],
  ])('stores nothing of %s', async (_what, bytes, code) => {
    await expect(uploadImage(services, EMPLOYEE, bytes)).rejects.toMatchObject({ code });
    expect(await auditLog()).toEqual([]);
  });

  const drawing: ContentWriter = {
    capabilities: () => ({ provider: 'openai-compatible', description: { available: true }, image: { available: true } }),
    describe: async () => 'unused',
    draw: async () => ({ bytes: TINY_PNG, contentType: 'image/png' }),
  };

  it('keeps a drawn picture for a product, leaving the product as it is, and records it', async () => {
    const product = await addProduct(services);
    const stored = await generateImage({ ...services, content: drawing }, EMPLOYEE, product.id, { name: 'Lamp', description: '' });
    expect(stored).toMatchObject({ contentType: 'image/png', bytes: TINY_PNG.length, url: `/api/images/${stored.id}` });
    expect(await services.images.get(stored.id)).not.toBeNull();
    expect(await services.products.get(product.id)).toEqual(product);
    const [entry] = await auditLog();
    expect(entry).toMatchObject({ action: 'image.generate', target: stored.id, after: { url: stored.url, contentType: 'image/png', productId: product.id } });
  });

  it('draws for no product, or refuses a product that is not there before asking the AI', async () => {
    const none = await generateImage({ ...services, content: drawing }, EMPLOYEE, undefined, { name: 'Lamp', description: '' });
    expect((await auditLog())[0]!.after).toMatchObject({ productId: null, url: none.url });
    const never: ContentWriter = { ...drawing, draw: () => Promise.reject(new Error('the AI was asked')) };
    await expect(generateImage({ ...services, content: never }, EMPLOYEE, 'ghost', { name: 'Lamp', description: '' })).rejects.toMatchObject({ code: 'product_not_found' });
  });
});

describe('bulk enrichment', () => {
  const started: EnrichmentInput[] = [];
  const client: EnrichmentClient = { start: async (input) => (started.push(input), 'job-1'), status: async () => null };
  const writer = (overrides: Partial<ContentWriter> = {}): ContentWriter => ({
    capabilities: () => ({ provider: 'openai-compatible', description: { available: true }, image: { available: true } }),
    describe: async ({ name }) => `A fine ${name}.`,
    draw: async () => ({ bytes: TINY_PNG, contentType: 'image/png' }),
    ...overrides,
  });
  beforeEach(() => void started.splice(0));
  /** A job is refused while the AI cannot make what it wants (startEnrichment), so these have one. */
  const withAi = () => ({ ...services, content: writer() });

  it('starts a job for the products named, each once, as the employee', async () => {
    expect(await startEnrichment(withAi(), client, EMPLOYEE, { productIds: ['a', 'b', 'a'] }, ['description'])).toEqual({ id: 'job-1', total: 2 });
    expect(started).toEqual([{ productIds: ['a', 'b'], want: ['description'], actor: WHO }]);
  });

  it.each([
    ['description', { description: '' }, { description: '  ' }],
    ['image', {}, { imageUrl: '/images/lamp.svg' }],
  ] as const)('starts a job for every product without a %s, and only those', async (field, lacking, having) => {
    const [without, withIt] = [await addProduct(services, lacking), await addProduct(services, { description: 'Has one.', imageUrl: '/images/lamp.svg', ...having })];
    const job = await startEnrichment(withAi(), client, EMPLOYEE, { without: field }, [field]);
    expect(job.total).toBe(field === 'description' ? 2 : 1);
    expect(started[0]!.productIds).toContain(without.id);
    if (field === 'image') expect(started[0]!.productIds).not.toContain(withIt.id);
  });

  it('reads the whole catalog, page by page, for the products without a picture', async () => {
    for (let n = 0; n < 105; n++) await addProduct(services, { name: `P${n}`, imageUrl: n === 104 ? '/images/lamp.svg' : undefined });
    expect((await startEnrichment(withAi(), client, EMPLOYEE, { without: 'image' }, ['image'])).total).toBe(104);
  });

  it.each([
    ['image', 'No product is without an image.'],
    ['description', 'No product is without a description.'],
  ] as const)('starts nothing when no product is without a %s', async (field, message) => {
    await addProduct(services, { description: 'Has one.', imageUrl: '/images/lamp.svg' });
    await expect(startEnrichment(withAi(), client, EMPLOYEE, { without: field }, [field])).rejects.toMatchObject({ code: 'nothing_to_enrich', message });
    expect(started).toEqual([]);
  });

  it('drafts what is wanted beside the product, never in it', async () => {
    const product = await addProduct(services, { name: 'Lamp' });
    const outcome = await draftProductContent({ ...services, content: writer() }, { jobId: 'job-1', productId: product.id, want: ['description', 'image'] }, silentLog);
    expect(outcome).toEqual({ productId: product.id, state: 'ok', wrote: ['description', 'image'] });
    const stored = (await services.products.get(product.id))!;
    expect(stored).toMatchObject({ description: product.description, imageUrl: product.imageUrl, version: 1 });
    expect(stored.draft).toMatchObject({ description: 'A fine Lamp.', imageUrl: expect.stringMatching(/^\/api\/images\//), jobId: 'job-1' });
    expect(await services.images.get(stored.draft!.imageUrl!.slice('/api/images/'.length))).not.toBeNull();
  });

  it('draws from the drafted description, or the product’s own when none is wanted', async () => {
    const product = await addProduct(services, { name: 'Lamp', description: 'Its own words.' });
    const asked: string[] = [];
    const drawing = writer({ draw: async (input) => (asked.push(input.description), { bytes: TINY_PNG, contentType: 'image/png' }) });
    await draftProductContent({ ...services, content: drawing }, { jobId: 'j', productId: product.id, want: ['description', 'image'] }, silentLog);
    await draftProductContent({ ...services, content: drawing }, { jobId: 'j', productId: product.id, want: ['image'] }, silentLog);
    expect(asked).toEqual(['A fine Lamp.', 'Its own words.']);
    expect((await services.products.get(product.id))!.draft).not.toHaveProperty('description');
  });

  it.each([
    ['a product that is gone', 'ghost', writer(), 'No product ghost.'],
    ['a refusal by the content filter', 'real', writer({ describe: () => Promise.reject(contentFiltered()) }), expect.stringContaining('content filter')],
    ['AI that is off', 'real', writer({ describe: () => Promise.reject(aiNotConfigured('AI is off.')) }), 'AI is off.'],
  ])('makes %s that product’s outcome at once', async (_what, which, content, reason) => {
    const product = await addProduct(services);
    const productId = which === 'real' ? product.id : which;
    expect(await draftProductContent({ ...services, content }, { jobId: 'j', productId, want: ['description'] }, silentLog)).toEqual({ productId, state: 'failed', reason });
  });

  it('throws a passing failure, for the orchestration to try again', async () => {
    const product = await addProduct(services);
    const busy = writer({ describe: () => Promise.reject(aiBusy('Busy.', null, [])) });
    await expect(draftProductContent({ ...services, content: busy }, { jobId: 'j', productId: product.id, want: ['description'] }, silentLog)).rejects.toMatchObject({ code: 'ai_busy' });
    await expect(draftProductContent({ ...services, content: writer({ describe: () => Promise.reject(new Error('socket hang up')) }) }, { jobId: 'j', productId: product.id, want: ['description'] }, silentLog)).rejects.toThrow('socket hang up');
  });

  it('fails the product deleted while its draft was written, for good', async () => {
    const product = await addProduct(services);
    const deleting = { ...withPort(services, 'products', { saveDraft: async () => false }), content: writer() };
    expect(await draftProductContent(deleting, { jobId: 'j', productId: product.id, want: ['description'] }, silentLog)).toEqual({
      productId: product.id,
      state: 'failed',
      reason: `Product ${product.id} was deleted meanwhile.`,
    });
  });

  it('records the outcome as whoever started the job', async () => {
    const result = { jobId: 'job-1', total: 1, ok: 1, failed: 0, outcomes: [] };
    await auditEnrichmentJob(services, { result, actor: WHO });
    expect(await auditLog()).toEqual([expect.objectContaining({ action: 'enrichment.completed', target: 'job-1', actor: WHO, after: result, before: null })]);
  });
});
