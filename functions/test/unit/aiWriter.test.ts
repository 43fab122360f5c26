import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../src/adapters/ai/attempts.js';
import { createContentWriter, OffContentWriter } from '../../src/adapters/ai/contentWriter.js';
import { OpenAiContentWriter } from '../../src/adapters/ai/openAiWriter.js';
import { readConfig, type AiEndpointConfig } from '../../src/config.js';
import { StoreError } from '../../src/domain/errors.js';
import { DESCRIPTION_SYSTEM_PROMPT } from '../../src/domain/productCopy.js';
import { freePort } from '../support/freePort.js';
import { DEFAULT_DRAFT, startFakeOpenAi, TINY_PNG, type FakeOpenAi } from '../support/fakeOpenAi.js';
import { PNG_SIGNATURE_THEN_HTML, TRAILING_SCRIPT } from '../support/images.js';

/** The real OpenAI SDK client code, over HTTP, against a scripted OpenAI-compatible server on loopback. */

const KEY = 'test-key-not-a-secret';
const lamp = { name: 'Aurora Desk Lamp', tags: ['lighting', 'desk'] };
const picture = { name: 'Aurora Desk Lamp', description: 'A desk lamp with a warm glow.' };
/** Short waits so the whole file runs in a few seconds; the budget is what the tests check. */
const FAST = { backoffMs: 20, maxBackoffMs: 100 };

/** Runs `work`, expecting a StoreError; returns it with how long it took. */
async function failure(work: Promise<unknown>): Promise<{ error: StoreError; ms: number }> {
  const started = Date.now();
  try {
    await work;
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return { error: error as StoreError, ms: Date.now() - started };
  }
  throw new Error('expected a failure, got success');
}

let fake: FakeOpenAi;
beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: KEY });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const clients: Array<{ label: string; config: () => AiEndpointConfig }> = [
  {
    label: 'OpenAI-compatible (OpenAI client, base URL)',
    config: () => ({ provider: 'openai-compatible', url: fake.baseUrl, apiKey: KEY, chat: { name: 'llama3' }, image: { name: 'sd-turbo' }, timeoutMs: 2_000 }),
  },
  {
    label: 'Azure OpenAI (OpenAI client on the v1 API, key)',
    config: () => ({
      provider: 'azure-openai',
      url: fake.url,
      apiKey: KEY,
      chat: { name: 'chat' },
      image: { name: 'image' },
      timeoutMs: 2_000,
    }),
  },
];

for (const { label, config } of clients) {
  describe(`content writer through ${label}`, () => {
    const writer = (overrides: Partial<AiEndpointConfig> = {}) => new OpenAiContentWriter({ ...config(), ...overrides }, FAST);
    // Azure OpenAI deploys only GPT image models (DALL-E 3 is retired).
    beforeEach(() => {
      if (config().provider === 'azure-openai') fake.imageModel = 'gpt-image';
    });

    it('drafts a description with the store prompt, as the configured model or deployment', async () => {
      expect(await writer().describe({ ...lamp, tone: 'technical' })).toBe(DEFAULT_DRAFT);
      expect(fake.requests).toHaveLength(1);
      const [request] = fake.requests;
      const azure = config().provider === 'azure-openai';
      expect(request!.flavor).toBe(azure ? 'azure' : 'openai');
      expect(request!.path).toBe(azure ? '/openai/v1/chat/completions' : '/v1/chat/completions');
      expect(request!.query.has('api-version')).toBe(false);
      expect(request!.body.model).toBe(azure ? 'chat' : 'llama3');
      expect(request!.headers.authorization).toBe(`Bearer ${KEY}`);
      const [system, user] = request!.body.messages;
      expect(system).toEqual({ role: 'system', content: expect.stringContaining(DESCRIPTION_SYSTEM_PROMPT) });
      expect(user.content).toContain('Aurora Desk Lamp');
      expect(user.content).toContain('lighting, desk');
    });

    it('tidies the answer: no quotes, no markdown, no reasoning block', async () => {
      fake.script('chat', { reply: 'ok', text: '<think>the user wants copy</think>\n"**Warm** light for late work."' });
      expect(await writer().describe(lamp)).toBe('Warm light for late work.');
    });

    it('waits as Retry-After says after a 429, then succeeds', async () => {
      fake.script('chat', { reply: 'error', status: 429, retryAfter: '1', code: 'rate_limit_exceeded' });
      expect(await writer().describe(lamp)).toBe(DEFAULT_DRAFT);
      expect(fake.requests).toHaveLength(2);
      expect(fake.requests[1]!.at - fake.requests[0]!.at).toBeGreaterThanOrEqual(950);
    });

    it('retries a 500 with backoff and succeeds', async () => {
      fake.script('chat', { reply: 'error', status: 500 }, { reply: 'error', status: 503 });
      expect(await writer().describe(lamp)).toBe(DEFAULT_DRAFT);
      expect(fake.requests).toHaveLength(3);
    });

    it('gives up on a service that keeps failing: 503 ai_unavailable after the retries', async () => {
      fake.always('chat', { reply: 'error', status: 500 });
      const { error, ms } = await failure(writer().describe(lamp));
      expect(error).toMatchObject({ kind: 'unavailable', code: 'ai_unavailable' });
      expect(fake.requests).toHaveLength(3);
      expect(ms).toBeLessThan(2_000);
    });

    it('does not wait out a Retry-After longer than its budget: 503 ai_busy at once', async () => {
      fake.always('chat', { reply: 'error', status: 429, retryAfter: '30' });
      const { error, ms } = await failure(writer().describe(lamp));
      expect(error).toMatchObject({ kind: 'unavailable', code: 'ai_busy', message: expect.stringContaining('30 s') });
      expect(error.details).toEqual([expect.objectContaining({ retryAfterSeconds: 30 })]);
      expect(fake.requests).toHaveLength(1);
      expect(ms).toBeLessThan(1_000);
    });

    it('times out a service that does not answer: 504 ai_timeout within the budget', async () => {
      fake.always('chat', { reply: 'hang' });
      const { error, ms } = await failure(writer({ timeoutMs: 400 }).describe(lamp));
      expect(error).toMatchObject({ kind: 'timeout', code: 'ai_timeout' });
      expect(ms).toBeGreaterThanOrEqual(350);
      expect(ms).toBeLessThan(1_000);
    });

    it('answers 422 content_filtered when the filter refuses the prompt, without retrying', async () => {
      fake.script('chat', { reply: 'filtered' });
      const { error } = await failure(writer().describe(lamp));
      expect(error).toMatchObject({ kind: 'unprocessable', code: 'content_filtered', message: expect.stringMatching(/content filter/) });
      expect(fake.requests).toHaveLength(1);
    });

    it('answers 422 content_filtered when the filter cuts off the completion', async () => {
      fake.script('chat', { reply: 'filteredCompletion' });
      const { error } = await failure(writer().describe(lamp));
      expect(error).toMatchObject({ kind: 'unprocessable', code: 'content_filtered' });
    });

    it('does not retry refused credentials', async () => {
      const { error } = await failure(writer({ apiKey: 'wrong' }).describe(lamp));
      expect(error).toMatchObject({ kind: 'unavailable', code: 'ai_unavailable', message: expect.stringContaining('credentials') });
      expect(fake.requests).toHaveLength(1);
    });

    it('draws a picture as PNG bytes: base64, at low quality from a GPT image model', async () => {
      const azure = config().provider === 'azure-openai';
      const image = await writer().draw(picture);
      expect(image.contentType).toBe('image/png');
      expect(Buffer.from(image.bytes).equals(Buffer.from(TINY_PNG))).toBe(true);
      expect(fake.requests).toHaveLength(1);
      const [request] = fake.requests;
      expect(request!.endpoint).toBe('image');
      expect(request!.path).toBe(azure ? '/openai/v1/images/generations' : '/v1/images/generations');
      expect(request!.body).toMatchObject({ model: azure ? 'image' : 'sd-turbo', n: 1, size: '1024x1024', prompt: expect.stringContaining('Aurora Desk Lamp') });
      // Azure OpenAI deploys only GPT image models: no response_format, and `low` for speed.
      expect(request!.body.response_format).toBe(azure ? undefined : 'b64_json');
      expect(request!.body.quality).toBe(azure ? 'low' : undefined);
    });

    it('draws with a GPT image model named so, or behind any deployment name, which refuses response_format', async () => {
      fake.imageModel = 'gpt-image';
      expect((await writer().draw(picture)).contentType).toBe('image/png');
      const azure = config().provider === 'azure-openai';
      expect(fake.requests.map((request) => request.body.response_format)).toEqual(azure ? [undefined] : ['b64_json', undefined]);
      fake.reset();
      fake.imageModel = 'gpt-image';
      await writer({ image: { name: 'gpt-image-2' } }).draw(picture);
      expect(fake.requests.map((request) => [request.body.response_format, request.body.quality])).toEqual([[undefined, 'low']]);
    });

    it('answers 422 content_filtered when the image filter refuses, and 504 when drawing takes too long', async () => {
      fake.script('image', { reply: 'filtered' }, { reply: 'hang', ms: 2_000 });
      expect((await failure(writer().draw(picture))).error).toMatchObject({ code: 'content_filtered' });
      expect((await failure(writer({ timeoutMs: 300 }).draw(picture))).error).toMatchObject({ code: 'ai_timeout' });
    });

    it('refuses an answer that is not an image', async () => {
      fake.script('image', { reply: 'ok', image: new TextEncoder().encode('<html>not an image</html>') });
      expect((await failure(writer().draw(picture))).error).toMatchObject({ kind: 'unavailable', code: 'ai_bad_response' });
    });

    it('refuses a picture that only starts like a PNG, or carries a script after its end', async () => {
      const withScript = Buffer.concat([TINY_PNG, TRAILING_SCRIPT]);
      fake.script('image', { reply: 'ok', image: PNG_SIGNATURE_THEN_HTML }, { reply: 'ok', image: withScript });
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const { error } = await failure(writer().draw(picture));
        expect(error).toMatchObject({ kind: 'unavailable', code: 'ai_bad_response', message: expect.stringContaining('not a whole PNG or JPEG') });
      }
    });
  });
}

describe('content writer without a reachable service', () => {
  it('answers 503 ai_unavailable quickly when nothing listens at the address', async () => {
    const port = await freePort();
    const writer = new OpenAiContentWriter(
      { provider: 'openai-compatible', url: `http://127.0.0.1:${port}/v1`, chat: { name: 'm' }, image: { name: 'i' }, timeoutMs: 2_000 },
      FAST,
    );
    const { error, ms } = await failure(writer.describe(lamp));
    expect(error).toMatchObject({ kind: 'unavailable', code: 'ai_unavailable', message: expect.stringContaining('cannot be reached') });
    expect(ms).toBeLessThan(1_500);
  });

  it('signs in to Azure OpenAI with an Entra token as the bearer on the v1 API, asking for a token per request', async () => {
    const fake = await startFakeOpenAi({ apiKey: KEY, tokens: ['entra-token-1', 'entra-token-2'] });
    try {
      let issued = 0;
      const provider = async () => `entra-token-${++issued}`;
      const writer = new OpenAiContentWriter(
        { provider: 'azure-openai', url: `${fake.url}/`, chat: { name: 'chat' }, image: { name: 'gpt-image-2' }, timeoutMs: 2_000 },
        FAST,
        async () => provider,
      );
      expect(await writer.describe(lamp)).toBe(DEFAULT_DRAFT);
      fake.imageModel = 'gpt-image';
      expect((await writer.draw(picture)).contentType).toBe('image/png');
      expect(fake.requests.map((request) => [request.path, request.headers.authorization])).toEqual([
        ['/openai/v1/chat/completions', 'Bearer entra-token-1'],
        ['/openai/v1/images/generations', 'Bearer entra-token-2'],
      ]);
    } finally {
      await fake.close();
    }
  });

  it('answers within its budget when Azure OpenAI needs a managed identity that is not there', async () => {
    const settings = { AZURE_OPENAI_ENDPOINT: 'https://127.0.0.1:1', AZURE_OPENAI_CHAT_DEPLOYMENT: 'chat', AI_TIMEOUT_MS: '1500' };
    const writer = createContentWriter(readConfig(settings).ai);
    expect(writer).toBeInstanceOf(OpenAiContentWriter);
    const { error, ms } = await failure(writer.describe(lamp));
    expect(['ai_unavailable', 'ai_timeout']).toContain(error.code);
    if (error.code === 'ai_unavailable') expect(error.message).toContain('managed identity');
    expect(ms).toBeLessThan(2_500);
  });

  it('says which model is missing, and refuses that feature at once', async () => {
    const writer = new OpenAiContentWriter({
      provider: 'openai-compatible',
      url: 'http://127.0.0.1:1/v1',
      chat: { name: 'm' },
      image: { missing: 'OPENAI_IMAGE_MODEL is not set' },
      timeoutMs: 1_000,
    });
    expect(writer.capabilities()).toEqual({
      provider: 'openai-compatible',
      description: { available: true },
      image: { available: false, reason: 'OPENAI_IMAGE_MODEL is not set' },
    });
    expect((await failure(writer.draw(picture))).error).toMatchObject({ kind: 'unavailable', code: 'ai_not_configured' });
  });
});

describe('choosing the content writer from settings', () => {
  it('is off, saying why, when nothing is configured', async () => {
    const config = readConfig({});
    expect(config.ai).toEqual({ provider: 'off', reason: expect.stringMatching(/AZURE_OPENAI_ENDPOINT.*OPENAI_BASE_URL/) });
    const writer = createContentWriter(config.ai);
    expect(writer).toBeInstanceOf(OffContentWriter);
    expect(writer.capabilities()).toEqual({
      provider: 'off',
      description: { available: false, reason: expect.stringContaining('not configured') },
      image: { available: false, reason: expect.stringContaining('not configured') },
    });
    expect((await failure(writer.describe(lamp))).error).toMatchObject({ kind: 'unavailable', code: 'ai_not_configured' });
  });

  it('reads Azure OpenAI settings, with the default time budget', () => {
    const config = readConfig({
      AZURE_OPENAI_ENDPOINT: 'https://oai-test.openai.azure.com/',
      AZURE_OPENAI_CHAT_DEPLOYMENT: 'chat',
    });
    expect(config.ai).toEqual({
      provider: 'azure-openai',
      url: 'https://oai-test.openai.azure.com/',
      chat: { name: 'chat' },
      image: { missing: 'AZURE_OPENAI_IMAGE_DEPLOYMENT is not set' },
      // Under the 45 s Static Web Apps gives an API request.
      timeoutMs: 40_000,
    });
  });

  it('prefers a local OpenAI-compatible server when both are set', () => {
    const config = readConfig({
      AZURE_OPENAI_ENDPOINT: 'https://oai-test.openai.azure.com',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      OPENAI_CHAT_MODEL: 'llama3.2',
      AI_TIMEOUT_MS: '5000',
    });
    expect(config.ai).toMatchObject({ provider: 'openai-compatible', url: 'http://127.0.0.1:11434/v1', chat: { name: 'llama3.2' }, timeoutMs: 5_000 });
    expect(config.ai).not.toHaveProperty('apiKey');
  });

  it('turns AI off with the reason, instead of refusing to start, when an AI setting is malformed', () => {
    const config = readConfig({ AZURE_OPENAI_ENDPOINT: 'http://oai-test.openai.azure.com', AI_TIMEOUT_MS: 'soon' });
    expect(config.ai.provider).toBe('off');
    expect(config.ai).toMatchObject({ reason: expect.stringMatching(/AZURE_OPENAI_ENDPOINT must be an https URL.*AI_TIMEOUT_MS/) });
    expect(readConfig({ OPENAI_BASE_URL: 'ftp://models.local' }).ai).toMatchObject({ provider: 'off', reason: expect.stringContaining('OPENAI_BASE_URL') });
    const beside = readConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', AZURE_OPENAI_ENDPOINT: 'not a url' });
    expect(beside.ai.provider).toBe('openai-compatible');
  });
});

describe('Retry-After', () => {
  const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name] ?? null });
  it('reads seconds, an HTTP date and retry-after-ms', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': '2' }), now)).toBe(2_000);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(5_000);
    expect(retryAfterMs(headers({ 'retry-after-ms': '150', 'retry-after': '9' }), now)).toBe(150);
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'whenever' }), now)).toBeUndefined();
  });
});
