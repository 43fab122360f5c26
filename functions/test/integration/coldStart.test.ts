import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CLOUD_SDKS = ['mongodb', '@azure/service-bus', '@azure/storage-blob', '@azure/identity', 'openai', 'durable-functions'];
const work = mkdtempSync(join(tmpdir(), 'bestbuy-cold-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `script` in a fresh node process and returns the packages whose modules it loaded. */
function packagesLoadedBy(script: string, env: Record<string, string> = {}): string[] {
  const log = join(work, `loaded-${Math.random().toString(36).slice(2)}.txt`);
  const hooks = join(work, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(process.env.LOADED_LOG, result.url + '\\n');
  return result;
}`,
  );
  const register = `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`;
  execFileSync(process.execPath, ['--import', `data:text/javascript,${encodeURIComponent(register)}`, '--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, LOADED_LOG: log, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const urls = readFileSync(log, 'utf8').split('\n');
  return CLOUD_SDKS.filter((name) => urls.some((url) => url.includes(`/node_modules/${name}/`)));
}

const dist = (path: string) => JSON.stringify(pathToFileURL(resolve('dist', path)).href);

describe('cold start', () => {
  it('loads no cloud SDK for the embedded runtime, from import to first services', () => {
    const loaded = packagesLoadedBy(
      `await import(${dist('index.js')});
       const { createServices } = await import(${dist('composition.js')});
       const { readConfig } = await import(${dist('config.js')});
       const services = await createServices(readConfig({ DATA_DIR: ${JSON.stringify(join(work, 'data'))} }));
       await services.close();`,
    );
    expect(loaded).toEqual([]);
  });

  it('loads durable-functions, and nothing else, only where bulk enrichment is switched on', () => {
    const loaded = packagesLoadedBy(`await import(${dist('index.js')});`, { ENRICHMENT_ENABLED: 'true' });
    expect(loaded).toEqual(['durable-functions']);
  });

  it('loads no cloud SDK, durable-functions included, for the local host and every function it serves', () => {
    const loaded = packagesLoadedBy(
      `await import(${dist('local/host.js')});
       await import(${dist('definitions.js')});
       const { createServices } = await import(${dist('composition.js')});
       const { readConfig } = await import(${dist('config.js')});
       const services = await createServices(readConfig({ DATA_DIR: ${JSON.stringify(join(work, 'data-local'))} }));
       await services.close();`,
    );
    expect(loaded).toEqual([]);
  });

  it('loads the OpenAI SDK only when AI help is first asked for, and no identity library for a key or a local server', () => {
    const ai = (env: Record<string, string>) =>
      `const { createServices } = await import(${dist('composition.js')});
       const { readConfig } = await import(${dist('config.js')});
       const services = await createServices(readConfig({ DATA_DIR: ${JSON.stringify(join(work, 'data-ai'))}, ...${JSON.stringify(env)} }));
       services.content.capabilities();
       if (process.env.ASK) await services.content.describe({ name: 'Lamp', tags: [] }).catch(() => {});
       await services.close();`;
    // Nothing listens on port 9 of loopback: the request fails at once, after loading what it needs.
    const local = ai({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_CHAT_MODEL: 'm', AI_TIMEOUT_MS: '500' });
    expect(packagesLoadedBy(local)).toEqual([]);
    expect(packagesLoadedBy(local, { ASK: '1' })).toEqual(['openai']);
    const azureWithKey = ai({ AZURE_OPENAI_ENDPOINT: 'https://127.0.0.1:9', AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_CHAT_DEPLOYMENT: 'chat', AI_TIMEOUT_MS: '500' });
    expect(packagesLoadedBy(azureWithKey, { ASK: '1' })).toEqual(['openai']);
  });

  it('loads only the SDKs the Azure adapters use: no identity library when connection strings are given', () => {
    const loaded = packagesLoadedBy(`await import(${dist('adapters/azure/services.js')});`);
    expect(loaded.sort()).toEqual(['@azure/service-bus', '@azure/storage-blob', 'mongodb']);
  });
});
