import type { AiConfig } from '../../config.js';
import { aiNotConfigured } from '../../domain/errors.js';
import type { AiCapabilities, ContentWriter } from '../../ports.js';
import { OpenAiContentWriter } from './openAiWriter.js';

/** No AI service: says why, and every request answers 503 ai_not_configured at once. */
export class OffContentWriter implements ContentWriter {
  constructor(private readonly reason: string) {}

  capabilities(): AiCapabilities {
    const off = { available: false, reason: this.reason };
    return { provider: 'off', description: off, image: off };
  }

  async describe(): Promise<string> {
    throw aiNotConfigured(this.reason);
  }

  async draw(): Promise<never> {
    throw aiNotConfigured(this.reason);
  }
}

/**
 * The content writer the settings ask for, whatever adapters the store uses: an embedded store may
 * use a local model server, and an Azure one may have AI off. Never throws and never waits.
 */
export function createContentWriter(config: AiConfig): ContentWriter {
  return config.provider === 'off' ? new OffContentWriter(config.reason) : new OpenAiContentWriter(config);
}
