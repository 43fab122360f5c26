import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small OpenAI-compatible server on loopback for tests: chat completions and image
 * generations, both in OpenAI's shape (/v1/…) and Azure OpenAI's v1 API (/openai/v1/…, the
 * deployment named as the model, a bearer key or Entra token, no api-version), each with a bearer.
 * The dated Azure paths (/openai/deployments/{deployment}/…?api-version=…) are not served: the
 * image models the store deploys are documented only on v1. Each test scripts what the next
 * requests get; with nothing scripted every request succeeds.
 */

export type Endpoint = 'chat' | 'image';

export type Step =
  /** Success: a completion with `text`, or an image with `image` bytes (a 1x1 PNG by default). */
  | { reply: 'ok'; text?: string; image?: Uint8Array }
  /** An error status with an OpenAI-style error body; `retryAfter` becomes the Retry-After header. */
  | { reply: 'error'; status: number; retryAfter?: string; code?: string; message?: string }
  /** Waits `ms` (forever when absent, until the server closes) before succeeding. */
  | { reply: 'hang'; ms?: number }
  /** Azure's content filter refusing the prompt: 400, error.code content_filter (chat) or contentFilter (image). */
  | { reply: 'filtered' }
  /** A completion cut off by Azure's content filter: 200, finish_reason content_filter, no content. */
  | { reply: 'filteredCompletion' };

export interface RecordedRequest {
  endpoint: Endpoint;
  /** 'openai' for /v1/…, 'azure' for /openai/v1/…. */
  flavor: 'openai' | 'azure';
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: any;
  /** Date.now() when it arrived. */
  at: number;
}

export interface FakeOpenAi {
  /** http://127.0.0.1:PORT: the Azure endpoint. */
  url: string;
  /** url + /v1: the OpenAI-compatible base URL. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queues what the next requests to `endpoint` get, in order. */
  script(endpoint: Endpoint, ...steps: Step[]): void;
  /** What every request to `endpoint` gets once its script is used up (default: success). */
  always(endpoint: Endpoint, step: Step): void;
  /**
   * How the image endpoint treats response_format: 'dall-e' answers a URL unless asked for
   * b64_json; 'gpt-image' refuses the parameter (400, param response_format) and answers base64.
   */
  imageModel: 'dall-e' | 'gpt-image';
  /** Forgets scripts, defaults, recorded requests and the image model. */
  reset(): void;
  close(): Promise<void>;
}

/** A valid 1x1 PNG. */
export const TINY_PNG = new Uint8Array(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64'),
);

export const DEFAULT_DRAFT = 'Brings soft, even light to a desk or bedside. Simple to place and easy to live with.';

const ROUTES: Array<{ pattern: RegExp; endpoint: Endpoint; flavor: 'openai' | 'azure' }> = [
  { pattern: /^\/v1\/chat\/completions$/, endpoint: 'chat', flavor: 'openai' },
  { pattern: /^\/v1\/images\/generations$/, endpoint: 'image', flavor: 'openai' },
  { pattern: /^\/openai\/v1\/chat\/completions$/, endpoint: 'chat', flavor: 'azure' },
  { pattern: /^\/openai\/v1\/images\/generations$/, endpoint: 'image', flavor: 'azure' },
];

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const errorBody = (message: string, code: string | null, extra: Record<string, unknown> = {}) => ({
  error: { message, type: code === null ? 'server_error' : 'invalid_request_error', param: null, code, ...extra },
});

async function readJson(request: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

/**
 * Starts the fake on a free loopback port; `apiKey` set means requests without it get 401. The
 * bearer may also be one of `tokens` (Entra access tokens, on the Azure paths only).
 */
export async function startFakeOpenAi(options: { apiKey?: string; tokens?: string[] } = {}): Promise<FakeOpenAi> {
  const scripts: Record<Endpoint, Step[]> = { chat: [], image: [] };
  const defaults: Partial<Record<Endpoint, Step>> = {};
  const timers = new Set<NodeJS.Timeout>();

  const succeed = (response: ServerResponse, record: RecordedRequest, step: { text?: string; image?: Uint8Array }) => {
    if (record.endpoint === 'chat') {
      send(response, 200, {
        id: 'chatcmpl-fake',
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: record.body?.model ?? 'fake',
        choices: [{ index: 0, message: { role: 'assistant', content: step.text ?? DEFAULT_DRAFT }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
      });
      return;
    }
    const asksBase64 = record.body?.response_format === 'b64_json';
    if (fake.imageModel === 'gpt-image' && record.body?.response_format !== undefined) {
      send(response, 400, { error: { message: "Unknown parameter: 'response_format'.", type: 'invalid_request_error', param: 'response_format', code: 'unknown_parameter' } });
      return;
    }
    const image = Buffer.from(step.image ?? TINY_PNG).toString('base64');
    const item = fake.imageModel === 'gpt-image' || asksBase64 ? { b64_json: image } : { url: 'https://images.example.invalid/generated.png' };
    send(response, 200, { created: Math.floor(Date.now() / 1000), data: [{ ...item, revised_prompt: record.body?.prompt }] });
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const route = ROUTES.find((candidate) => candidate.pattern.test(url.pathname));
    if (request.method !== 'POST' || !route) return send(response, 404, errorBody(`no route ${request.method} ${url.pathname}`, 'not_found'));
    const record: RecordedRequest = {
      endpoint: route.endpoint,
      flavor: route.flavor,
      path: url.pathname,
      query: url.searchParams,
      headers: request.headers,
      body: await readJson(request).catch(() => undefined),
      at: Date.now(),
    };
    fake.requests.push(record);
    if (options.apiKey) {
      const given = request.headers.authorization?.replace(/^Bearer /, '');
      const accepted = given === options.apiKey || (route.flavor === 'azure' && given !== undefined && (options.tokens ?? []).includes(given));
      if (!accepted) return send(response, 401, errorBody('Access denied due to invalid subscription key.', '401'));
    }
    // v1 takes no dated version: a client still sending one is on the old surface.
    if (route.flavor === 'azure' && /^\d{4}-/.test(url.searchParams.get('api-version') ?? '')) {
      return send(response, 400, errorBody('api-version is not allowed on the v1 API', 'invalid_api_version'));
    }
    const step: Step = scripts[route.endpoint].shift() ?? defaults[route.endpoint] ?? { reply: 'ok' };
    switch (step.reply) {
      case 'ok':
        return succeed(response, record, step);
      case 'error':
        return send(
          response,
          step.status,
          errorBody(step.message ?? `scripted ${step.status}`, step.code ?? (step.status >= 500 ? null : String(step.status))),
          step.retryAfter === undefined ? {} : { 'retry-after': step.retryAfter },
        );
      case 'hang': {
        if (step.ms === undefined) return; // answered never; close() drops the connection
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!response.destroyed) succeed(response, record, {});
        }, step.ms);
        timers.add(timer);
        return;
      }
      case 'filtered':
        return route.endpoint === 'chat'
          ? send(response, 400, {
              error: {
                message: "The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                type: null,
                param: 'prompt',
                code: 'content_filter',
                status: 400,
                innererror: { code: 'ResponsibleAIPolicyViolation', content_filter_result: { violence: { filtered: true, severity: 'high' } } },
              },
            })
          : send(response, 400, { error: { code: 'contentFilter', message: 'Your task failed as a result of our safety system.' } });
      case 'filteredCompletion':
        return send(response, 200, {
          id: 'chatcmpl-filtered',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: record.body?.model ?? 'fake',
          choices: [{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'content_filter' }],
        });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeOpenAi = {
    url: `http://127.0.0.1:${port}`,
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests: [],
    imageModel: 'dall-e',
    script(endpoint, ...steps) {
      scripts[endpoint].push(...steps);
    },
    always(endpoint, step) {
      defaults[endpoint] = step;
    },
    reset() {
      scripts.chat = [];
      scripts.image = [];
      delete defaults.chat;
      delete defaults.image;
      fake.requests.length = 0;
      fake.imageModel = 'dall-e';
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
