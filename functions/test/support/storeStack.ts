import { rmSync } from 'node:fs';
import { beforeAll } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from './fakeOpenAi.js';
import { forSuite } from './suite.js';
import { startStack, type RunningStack } from './stack.js';

export { runStart, startStack, type RunningStack } from './stack.js';

/** A stack for the enclosing describe block, stopped and removed afterwards; call the result for it. */
export function useStack(env: Record<string, string> = {}): () => RunningStack {
  return forSuite('the stack', () => startStack(env), async (stack) => {
    await stack.stop();
    rmSync(stack.dataDir, { recursive: true, force: true });
  });
}

/**
 * The stack with AI help from a scripted OpenAI-compatible server on loopback, and no virtual
 * shoppers moving things under the test. The fake is started first, so the stack starts with its address.
 */
export function useStackWithFakeAi(): { stack: () => RunningStack; fake: () => FakeOpenAi } {
  let fake: FakeOpenAi;
  const env: Record<string, string> = {
    VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0',
    VIRTUAL_WORKER_ORDERS_PER_HOUR: '0',
    OPENAI_CHAT_MODEL: 'fake-chat',
    OPENAI_IMAGE_MODEL: 'fake-image',
    AI_TIMEOUT_MS: '5000',
  };
  beforeAll(async () => {
    fake = await startFakeOpenAi();
    env.OPENAI_BASE_URL = fake.baseUrl;
    return () => fake.close();
  });
  return { stack: useStack(env), fake: () => fake };
}
