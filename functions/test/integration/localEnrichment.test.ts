import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_DRAFT, startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi.js';
import { ADMIN, call, createProduct, eventually, removeDataDir, startHost, type RunningHost } from '../support/localHost.js';

/** Issue #14: bulk AI fill-in under the local host (npm start), which has no Durable Task engine. */

const aiEnv = (fake: FakeOpenAi) => ({
  SEED_CATALOG: 'false',
  OPENAI_BASE_URL: fake.baseUrl,
  OPENAI_CHAT_MODEL: 'fake-chat',
  OPENAI_IMAGE_MODEL: 'fake-image',
  AI_TIMEOUT_MS: '2000',
});

const statusOf = async (host: RunningHost, id: string) => (await call(host.url, 'GET', `/api/manage/enrichment/${id}`, { headers: ADMIN })).body;
const finished = (host: RunningHost, id: string) =>
  eventually(async () => {
    const status = await statusOf(host, id);
    return status.status !== 'pending' && status.status !== 'running' && status;
  }, 20_000, 100);

describe('bulk enrichment on the local host', () => {
  let fake: FakeOpenAi;
  let host: RunningHost;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    host = await startHost({ env: aiEnv(fake) });
  });
  afterAll(async () => {
    await host?.kill();
    if (host) removeDataDir(host);
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it('offers it, runs it with progress to the end, writes drafts only, and audits the outcome', async () => {
    const capabilities = await call(host.url, 'GET', '/api/manage/ai/capabilities', { headers: ADMIN });
    expect(capabilities.body.enrichment).toEqual({ available: true });
    const bare = await createProduct(host.url, { name: 'Bare Lamp', description: '' });
    const alsoBare = await createProduct(host.url, { name: 'Bare Kettle', description: '' });
    const described = await createProduct(host.url, { name: 'Described Fan' });

    const started = await call(host.url, 'POST', '/api/manage/enrichment', { headers: ADMIN, body: { without: 'description', want: ['description'] } });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ id: expect.any(String), total: 2, location: `/api/manage/enrichment/${started.body.id}` });
    expect(started.headers.get('location')).toBe(started.body.location);

    const done = await finished(host, started.body.id);
    expect(done).toMatchObject({
      id: started.body.id,
      status: 'completed',
      createdAt: expect.any(String),
      progress: { total: 2, done: 2 },
      result: { jobId: started.body.id, total: 2, ok: 2, failed: 0, recorded: true },
    });
    expect(done.progress.products.map((product: { productId: string; state: string }) => [product.productId, product.state]).sort()).toEqual(
      [[bare.id, 'ok'], [alsoBare.id, 'ok']].sort(),
    );
    for (const product of [bare, alsoBare]) {
      const managed = await call(host.url, 'GET', `/api/manage/products/${product.id}`, { headers: ADMIN });
      expect(managed.body.draft).toMatchObject({ description: DEFAULT_DRAFT, jobId: started.body.id });
      expect(managed.body.description).toBe('');
    }
    expect((await call(host.url, 'GET', `/api/manage/products/${described.id}`, { headers: ADMIN })).body.draft).toBeUndefined();
    expect(fake.requests.filter((request) => request.endpoint === 'chat')).toHaveLength(2);

    const audit = await call(host.url, 'GET', '/api/manage/audit?limit=20', { headers: ADMIN });
    expect(audit.body.items.find((entry: { action: string }) => entry.action === 'enrichment.completed')).toMatchObject({
      target: started.body.id,
      actor: { userDetails: 'tester@example.com' },
      after: { total: 2, ok: 2, failed: 0 },
    });
  });

  it('reports one product’s refusal as that product’s outcome, and the others’ drafts as usual', async () => {
    const refused = await createProduct(host.url, { name: 'Refused Mug' });
    const drawn = await createProduct(host.url, { name: 'Drawn Mug' });
    fake.script('image', { reply: 'filtered' });
    const started = await call(host.url, 'POST', '/api/manage/enrichment', { headers: ADMIN, body: { productIds: [refused.id], want: ['image'] } });
    const done = await finished(host, started.body.id);
    expect(done.result).toMatchObject({ total: 1, ok: 0, failed: 1 });
    expect(done.progress.products).toEqual([{ productId: refused.id, state: 'failed', reason: expect.any(String) }]);
    const second = await call(host.url, 'POST', '/api/manage/enrichment', { headers: ADMIN, body: { productIds: [drawn.id, 'gone'], want: ['image'] } });
    const after = await finished(host, second.body.id);
    expect(after.result).toMatchObject({ total: 2, ok: 1, failed: 1 });
    expect((await call(host.url, 'GET', `/api/manage/products/${drawn.id}`, { headers: ADMIN })).body.draft.imageUrl).toMatch(/^\/api\/images\//);
  });

  it('keeps a finished job’s status across a restart, and marks a job a crash interrupted as failed', async () => {
    const product = await createProduct(host.url, { name: 'Quick Lamp', description: '' });
    const quick = await call(host.url, 'POST', '/api/manage/enrichment', { headers: ADMIN, body: { productIds: [product.id], want: ['description'] } });
    const before = await finished(host, quick.body.id);
    expect(before.status).toBe('completed');

    fake.always('chat', { reply: 'hang' });
    const slow = await call(host.url, 'POST', '/api/manage/enrichment', { headers: ADMIN, body: { productIds: [product.id], want: ['description'] } });
    await eventually(async () => (await statusOf(host, slow.body.id)).status === 'running');
    await host.kill('SIGKILL');
    host = await startHost({ env: aiEnv(fake), dataDir: host.dataDir });

    expect(await statusOf(host, quick.body.id)).toEqual(before);
    expect(await statusOf(host, slow.body.id)).toMatchObject({ status: 'failed', result: null, progress: { total: 1, done: 0 } });
    expect(host.output()).toContain(`marked failed: ${slow.body.id}`);
  });
});
