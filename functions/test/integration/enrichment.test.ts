import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { enrichProduct, recordEnrichment } from '../../src/functions/enrichmentActivities.js';
import { SqliteFile } from '../../src/adapters/embedded/database.js';
import { SqliteProductStore } from '../../src/adapters/embedded/productStore.js';
import { systemClock } from '../../src/composition.js';
import { DEFAULT_DRAFT, startFakeOpenAi, TINY_PNG, type FakeOpenAi } from '../support/fakeOpenAi.js';
import { writeDraft } from '../support/hostStore.js';
import { ADMIN, call, createProduct, useHost } from '../support/localHost.js';
import { addProduct, silentLog, tempServices } from '../support/services.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** Acceptance for issue #9: the activities against an OpenAI-compatible server, drafts, and the local host's answer with AI off. */

const errorOf = (code: string) => ({ error: { code, message: expect.any(String), details: expect.any(Array) } });

describe('the enrichProduct activity, against an OpenAI-compatible server', () => {
  let fake: FakeOpenAi;
  let services: ReturnType<typeof tempServices>;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    services = tempServices({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_CHAT_MODEL: 'fake-chat', OPENAI_IMAGE_MODEL: 'fake-image', AI_TIMEOUT_MS: '2000' });
  });
  afterAll(async () => {
    await services.dispose();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('writes a description and a picture as a draft, never over the product', async () => {
    const product = await addProduct(services, { name: 'Aurora Desk Lamp', description: '' });
    const outcome = await enrichProduct({ jobId: 'job-7', productId: product.id, want: ['description', 'image'] }, services, silentLog);
    expect(outcome).toEqual({ productId: product.id, state: 'ok', wrote: ['description', 'image'] });
    const stored = await services.products.get(product.id);
    const { draft, ...rest } = stored!;
    expect(rest).toEqual(product);
    expect(draft).toEqual({ description: DEFAULT_DRAFT, imageUrl: expect.stringMatching(/^\/api\/images\//), at: expect.any(String), jobId: 'job-7' });
    const image = await services.images.get(draft!.imageUrl!.replace('/api/images/', ''));
    expect(Buffer.from(image!.bytes).equals(Buffer.from(TINY_PNG))).toBe(true);
    expect(fake.requests.map((request) => request.endpoint)).toEqual(['chat', 'image']);
    expect(JSON.stringify(fake.requests[0]!.body)).toContain('Aurora Desk Lamp');
  });

  it('throws on a transient AI failure, so the retry policy tries again', async () => {
    const product = await addProduct(services);
    fake.always('chat', { reply: 'error', status: 500 });
    await expect(enrichProduct({ jobId: 'j', productId: product.id, want: ['description'] }, services, silentLog)).rejects.toMatchObject({
      code: 'ai_unavailable',
    });
    expect((await services.products.get(product.id))?.draft).toBeUndefined();
  });

  it('answers a failure no retry would mend as the product’s outcome: no product, or a filtered prompt', async () => {
    expect(await enrichProduct({ jobId: 'j', productId: 'gone', want: ['description'] }, services, silentLog)).toEqual({
      productId: 'gone',
      state: 'failed',
      reason: 'No product gone.',
    });
    const product = await addProduct(services);
    fake.script('image', { reply: 'filtered' });
    expect(await enrichProduct({ jobId: 'j', productId: product.id, want: ['image'] }, services, silentLog)).toMatchObject({
      state: 'failed',
      reason: expect.any(String),
    });
  });

  it('records the job’s outcome in the audit log as enrichment.completed', async () => {
    const result = { jobId: 'job-9', total: 1, ok: 1, failed: 0, outcomes: [{ productId: 'p', state: 'ok' as const, wrote: ['description' as const] }] };
    await recordEnrichment({ result, actor: { userId: 'u1', userDetails: 'ann@example.com' } }, services);
    const entries = (await services.audit.list({ limit: 5 })).items;
    expect(entries.find((entry) => entry.action === 'enrichment.completed')).toMatchObject({
      target: 'job-9',
      actor: { userId: 'u1', userDetails: 'ann@example.com' },
      after: result,
    });
  });
});

describe('an embedded store file from before drafts', () => {
  it('gains the draft column when opened, and keeps its products', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bestbuy-migrate-'));
    try {
      const path = join(dir, 'store.db');
      const old = new Database(path);
      old.exec(`CREATE TABLE products (id TEXT PRIMARY KEY, name TEXT NOT NULL, sort_key TEXT NOT NULL, description TEXT NOT NULL,
        price_cents INTEGER NOT NULL, image_url TEXT NOT NULL, tags TEXT NOT NULL, stock INTEGER NOT NULL CHECK (stock >= 0),
        version INTEGER NOT NULL, updated_at TEXT NOT NULL);
        INSERT INTO products VALUES ('old1', 'Old Lamp', 'old lamp', 'Light.', 100, '/images/placeholder.svg', '[]', 1, 1, '2026-01-01T00:00:00.000Z');`);
      old.close();
      for (let open = 0; open < 2; open++) {
        const file = new SqliteFile(path);
        const store = new SqliteProductStore(file, systemClock);
        expect((await store.get('old1'))?.name).toBe('Old Lamp');
        expect(await store.saveDraft('old1', { description: 'New words.', at: '2026-01-02T00:00:00.000Z' })).toBe(true);
        expect((await store.get('old1'))?.draft?.description).toBe('New words.');
        file.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bulk enrichment and drafts on the local host, with AI off', () => {
  const host = useHost({ SEED_CATALOG: 'false' });

  it('says enrichment needs an AI service, answers an unknown job 404 and a bad body 400', async () => {
    const capabilities = await call(host.url, 'GET', '/api/manage/ai/capabilities', { headers: ADMIN });
    expect(capabilities.body.enrichment).toEqual({ available: false, reason: expect.stringMatching(/^AI is not configured/) });
    const unknown = await call(host.url, 'GET', '/api/manage/enrichment/job-1', { headers: ADMIN });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual(errorOf('enrichment_not_found'));
    const bad = await call(host.url, 'POST', '/api/manage/enrichment', { headers: ADMIN, body: { productIds: ['a'], without: 'image', want: ['image'] } });
    expect(bad.status).toBe(400);
  });

  it('refuses to start a job with 503 and the reason, rather than accept it and fail every product', async () => {
    const product = await createProduct(host.url, { name: 'Undescribed Lamp', description: '' });
    const refused = await call(host.url, 'POST', '/api/manage/enrichment', { headers: ADMIN, body: { productIds: [product.id], want: ['description'] } });
    expect(refused.status).toBe(503);
    expect(refused.body).toEqual({ error: { code: 'ai_not_configured', message: expect.stringMatching(/^AI is not configured/), details: [] } });
    const audit = await call(host.url, 'GET', '/api/manage/audit?limit=20', { headers: ADMIN });
    expect(audit.body.items.some((entry: { action: string }) => entry.action.startsWith('enrichment'))).toBe(false);
  });

  it('keeps drafts out of the storefront and shows them to employees', async () => {
    const product = await createProduct(host.url, { name: 'Drafted Kettle' });
    await writeDraft(host.dataDir, product.id, { description: 'Boils fast.' });
    const publicOne = await call(host.url, 'GET', `/api/products/${product.id}`);
    expect(publicOne.body.draft).toBeUndefined();
    const listed = await call(host.url, 'GET', '/api/products?limit=100');
    expect(listed.body.items.find((item: { id: string }) => item.id === product.id).draft).toBeUndefined();
    const managed = await call(host.url, 'GET', `/api/manage/products/${product.id}`, { headers: ADMIN });
    expect(managed.body.draft).toMatchObject({ description: 'Boils fast.', jobId: 'job-1' });
  });

  it('accepts one field of a draft at the current version, refuses a stale one, and audits it', async () => {
    const product = await createProduct(host.url, { name: 'Drafted Toaster' });
    await writeDraft(host.dataDir, product.id, { description: 'Toasts evenly.', imageUrl: '/api/images/abc' });
    const stale = await call(host.url, 'POST', `/api/manage/products/${product.id}/draft/accept`, { headers: ADMIN, body: { version: product.version + 5 } });
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual(errorOf('stale_version'));
    const accepted = await call(host.url, 'POST', `/api/manage/products/${product.id}/draft/accept`, {
      headers: ADMIN,
      body: { version: product.version, fields: ['description'] },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ description: 'Toasts evenly.', imageUrl: '/images/placeholder.svg', version: product.version + 1 });
    expect(accepted.body.draft).toBeUndefined();
    expect((await call(host.url, 'GET', `/api/products/${product.id}`)).body.description).toBe('Toasts evenly.');
    expect((await call(host.url, 'GET', `/api/manage/products/${product.id}`, { headers: ADMIN })).body.draft).toBeUndefined();
    const again = await call(host.url, 'POST', `/api/manage/products/${product.id}/draft/accept`, { headers: ADMIN, body: { version: product.version + 1 } });
    expect(again.body).toEqual(errorOf('draft_not_found'));
    const audit = await call(host.url, 'GET', '/api/manage/audit?limit=20', { headers: ADMIN });
    expect(audit.body.items.some((entry: { action: string; target: string }) => entry.action === 'product.draft.accept' && entry.target === product.id)).toBe(true);
  });

  it('discards a draft, leaving the product as it was', async () => {
    const product = await createProduct(host.url, { name: 'Drafted Blender' });
    await writeDraft(host.dataDir, product.id, { description: 'Blends.' });
    expect((await call(host.url, 'DELETE', `/api/manage/products/${product.id}/draft`, { headers: ADMIN })).status).toBe(204);
    const after = await call(host.url, 'GET', `/api/manage/products/${product.id}`, { headers: ADMIN });
    expect(after.body).toEqual(product);
    expect((await call(host.url, 'DELETE', `/api/manage/products/${product.id}/draft`, { headers: ADMIN })).body).toEqual(errorOf('draft_not_found'));
  });

  it('accepts all drafts of a job, each product’s outcome its own', async () => {
    const a = await createProduct(host.url, { name: 'Drafted Fan' });
    const b = await createProduct(host.url, { name: 'Undrafted Fan' });
    await writeDraft(host.dataDir, a.id, { description: 'Cools.', imageUrl: '/api/images/fan' });
    const reply = await call(host.url, 'POST', '/api/manage/drafts/accept', { headers: ADMIN, body: { productIds: [a.id, b.id, 'missing-id'] } });
    expect(reply.status).toBe(200);
    expect(reply.body.results).toEqual([
      { productId: a.id, outcome: 'accepted', version: a.version + 1 },
      { productId: b.id, outcome: 'no_draft' },
      { productId: 'missing-id', outcome: 'missing' },
    ]);
    expect((await call(host.url, 'GET', `/api/products/${a.id}`)).body).toMatchObject({ description: 'Cools.', imageUrl: '/api/images/fan' });
  });
});
