import type { OpenAI } from 'openai';
import type { AiEndpointConfig, AiModel } from '../../config.js';
import { aiBadResponse, aiBusy, aiNotConfigured, aiTimedOut, aiUnavailable, contentFiltered, StoreError } from '../../domain/errors.js';
import { cleanDescription, descriptionMessages, imagePrompt, type DescribeInput, type DrawInput } from '../../domain/productCopy.js';
import { imageDecoder } from '../images/decoder.js';
import type { AiCapabilities, AiCapability, ContentWriter, ImageContent } from '../../ports.js';
import { DEFAULT_RETRY, retryAfterMs, withRetries, type Failure, type AiRetryPolicy } from './attempts.js';

type Sdk = typeof import('openai');

/** The scope Azure OpenAI accepts Microsoft Entra tokens for. */
export const COGNITIVE_SERVICES_SCOPE = 'https://cognitiveservices.azure.com/.default';

/** Error codes with which Azure OpenAI and OpenAI refuse content their filters flag. */
const CONTENT_FILTER_CODES = new Set(
  ['content_filter', 'contentFilter', 'content_policy_violation', 'moderation_blocked', 'ResponsibleAIPolicyViolation'].map((code) =>
    code.toLowerCase(),
  ),
);

const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

function isContentFilter(error: { code?: string | null | undefined; error?: unknown }): boolean {
  const inner = (error.error as { innererror?: { code?: unknown } } | undefined)?.innererror?.code;
  return [error.code, inner].some((code) => typeof code === 'string' && CONTENT_FILTER_CODES.has(code.toLowerCase()));
}

const short = (text: string) => (text.length > 200 ? `${text.slice(0, 199)}…` : text);

/**
 * GPT image models answer in about a minute at their default `high` quality; `low` keeps a picture
 * inside the 40 s the Static Web App leaves an admin request (quality: low, medium, high;
 * https://learn.microsoft.com/azure/foundry/openai/how-to/dall-e).
 */
const IMAGE_QUALITY = 'low';

/** A source of Microsoft Entra access tokens for Azure OpenAI. */
export type TokenProvider = () => Promise<string>;

/**
 * Product copy and pictures from Azure OpenAI or from any OpenAI-compatible server, both through
 * the `OpenAI` client with a base URL. Azure OpenAI is called on its v1 API
 * (`{endpoint}/openai/v1/...`, no api-version; the only surface gpt-image-2 is documented on:
 * https://learn.microsoft.com/azure/foundry/openai/api-version-lifecycle), the model named by its
 * deployment, with the managed identity's Entra token (or an API key) as the bearer. The SDK and @azure/identity are
 * imported on first use, so a store that never asks for AI never loads them, and building this
 * writer can neither fail nor wait. The SDK's own retries are off: its Retry-After wait has no cap
 * and ignores cancellation, so `withRetries` retries within one time budget instead.
 */
export class OpenAiContentWriter implements ContentWriter {
  private client: Promise<{ sdk: Sdk; client: OpenAI }> | undefined;
  private readonly policy: AiRetryPolicy;

  /** `tokens`: Azure OpenAI without a key signs in with these; by default the managed identity's. */
  constructor(
    private readonly config: AiEndpointConfig,
    policy: Partial<AiRetryPolicy> = {},
    private readonly tokens: () => Promise<TokenProvider> = managedIdentityTokens,
  ) {
    this.policy = { ...DEFAULT_RETRY, timeoutMs: config.timeoutMs, ...policy };
  }

  capabilities(): AiCapabilities {
    const capability = (model: AiModel): AiCapability => ('name' in model ? { available: true } : { available: false, reason: model.missing });
    return { provider: this.config.provider, description: capability(this.config.chat), image: capability(this.config.image) };
  }

  async describe(input: DescribeInput, signal?: AbortSignal): Promise<string> {
    const model = this.model(this.config.chat, 'description');
    return this.call(signal, async (_sdk, client, options) => {
      const completion = await client.chat.completions.create({ model, messages: descriptionMessages(input) }, options);
      const choice = completion.choices?.[0];
      if (choice?.finish_reason === 'content_filter') throw contentFiltered();
      const description = cleanDescription(choice?.message?.content ?? '');
      if (!description) throw aiBadResponse('The AI service answered with no usable text. Try again.');
      return description;
    });
  }

  async draw(input: DrawInput, signal?: AbortSignal): Promise<ImageContent> {
    const model = this.model(this.config.image, 'image');
    const prompt = imagePrompt(input);
    // GPT image models always answer base64 and refuse response_format; DALL-E answers a URL unless
    // asked. Azure OpenAI offers only GPT image models now (DALL-E 3 is retired).
    const gptImage = this.config.provider === 'azure-openai' || /gpt-image/i.test(model);
    let askForBase64 = !gptImage;
    return this.call(signal, async (sdk, client, options) => {
      const generate = () =>
        client.images.generate(
          {
            model,
            prompt,
            n: 1,
            size: '1024x1024',
            ...(gptImage ? { quality: IMAGE_QUALITY } : {}),
            ...(askForBase64 ? { response_format: 'b64_json' as const } : {}),
          },
          options,
        );
      let response;
      try {
        response = await generate();
      } catch (error) {
        // A GPT image model behind a deployment name that does not say so.
        if (!(askForBase64 && error instanceof sdk.APIError && error.status === 400 && error.param === 'response_format')) throw error;
        askForBase64 = false;
        response = await generate();
      }
      const base64 = response.data?.[0]?.b64_json;
      if (!base64) throw aiBadResponse('The AI service answered without image data. Try again.');
      const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
      const notAnImage = (cause?: unknown) =>
        aiBadResponse('The AI service answered with something that is not a whole PNG or JPEG image.', cause);
      if (bytes.length > MAX_IMAGE_BYTES) throw notAnImage();
      // Checked like an upload: the picture goes to the same store and the same shoppers.
      const checked = await imageDecoder.check(bytes).catch((error: unknown) => {
        throw notAnImage(error);
      });
      return { bytes, contentType: checked.contentType };
    });
  }

  private model(model: AiModel, feature: string): string {
    if ('name' in model) return model.name;
    throw aiNotConfigured(`AI ${feature}s are not available: ${model.missing}.`);
  }

  private async call<T>(
    signal: AbortSignal | undefined,
    attempt: (sdk: Sdk, client: OpenAI, options: { signal: AbortSignal; timeout: number; maxRetries: 0 }) => Promise<T>,
  ): Promise<T> {
    let sdk: Sdk | undefined;
    return withRetries(
      async ({ signal: attemptSignal, timeoutMs }) => {
        const built = await this.connect();
        sdk = built.sdk;
        return attempt(built.sdk, built.client, { signal: attemptSignal, timeout: timeoutMs, maxRetries: 0 });
      },
      (error) => this.classify(error, sdk),
      this.policy,
      signal,
    );
  }

  private connect(): Promise<{ sdk: Sdk; client: OpenAI }> {
    this.client ??= this.build().catch((error: unknown) => {
      this.client = undefined; // try again next time: the SDK may be fixed or the identity back
      throw error;
    });
    return this.client;
  }

  private async build(): Promise<{ sdk: Sdk; client: OpenAI }> {
    const sdk = await import('openai');
    // Every option explicit, so the SDK reads nothing of its own from the environment.
    const common = { maxRetries: 0, timeout: this.config.timeoutMs, organization: null, project: null, webhookSecret: null };
    if (this.config.provider === 'openai-compatible') {
      // Local model servers usually want no key, but the client insists on one.
      return { sdk, client: new sdk.OpenAI({ ...common, baseURL: this.config.url, apiKey: this.config.apiKey ?? 'no-key' }) };
    }
    // A function as apiKey is asked before every request: the token provider refreshes as needed.
    const apiKey = this.config.apiKey ?? (await this.tokens());
    const baseURL = `${this.config.url.replace(/\/+$/, '')}/openai/v1`;
    return { sdk, client: new sdk.OpenAI({ ...common, baseURL, apiKey }) };
  }

  /** What a failed attempt means for the caller, and whether another attempt may help. */
  private classify(error: unknown, sdk: Sdk | undefined): Failure {
    if (error instanceof StoreError) return { error, retryable: false };
    if (sdk && error instanceof sdk.APIConnectionTimeoutError) return { error: aiTimedOut(this.policy.timeoutMs, error), retryable: false };
    if (sdk && error instanceof sdk.APIConnectionError) {
      return { error: aiUnavailable('The AI service cannot be reached right now. Try again later.', error), retryable: true };
    }
    if (sdk && error instanceof sdk.APIError && error.status !== undefined) {
      const status = error.status;
      const wait = retryAfterMs(error.headers);
      if ((status === 400 || status === 422) && isContentFilter(error)) {
        return { error: contentFiltered(error), retryable: false };
      }
      if (status === 429) {
        const when = wait !== undefined ? `in about ${Math.max(1, Math.ceil(wait / 1000))} s` : 'in a minute';
        const details = wait !== undefined ? [{ message: 'retry after', retryAfterSeconds: Math.ceil(wait / 1000) }] : [];
        return { error: aiBusy(`The AI service is busy. Try again ${when}.`, error, details), retryable: true, retryAfterMs: wait };
      }
      if (status === 408 || status >= 500) {
        return {
          error: aiUnavailable(`The AI service failed (HTTP ${status}). Try again later.`, error),
          retryable: true,
          retryAfterMs: wait,
        };
      }
      if (status === 401 || status === 403) {
        return { error: aiUnavailable(`The AI service refused the store's credentials (HTTP ${status}).`, error), retryable: false };
      }
      if (status === 404) {
        return { error: aiUnavailable('The AI service does not know the configured model or deployment (HTTP 404).', error), retryable: false };
      }
      return { error: aiUnavailable(`The AI service refused the request (HTTP ${status}): ${short(error.message)}`, error), retryable: false };
    }
    // Loading the SDK or getting a token failed: nothing a retry inside this budget would fix.
    const reason = error instanceof Error ? short(error.message) : 'unknown error';
    const message =
      this.config.provider === 'azure-openai' && !this.config.apiKey
        ? `The store could not sign in to Azure OpenAI with its managed identity (${reason}).`
        : `The store could not connect to the AI service (${reason}).`;
    return { error: aiUnavailable(message, error), retryable: false };
  }
}

/** Microsoft Entra tokens for Azure OpenAI from the managed identity (AZURE_CLIENT_ID picks a user-assigned one). */
async function managedIdentityTokens(): Promise<TokenProvider> {
  const { DefaultAzureCredential, getBearerTokenProvider } = await import('@azure/identity');
  return getBearerTokenProvider(new DefaultAzureCredential(), COGNITIVE_SERVICES_SCOPE);
}
