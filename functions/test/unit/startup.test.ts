import { describe, expect, it } from 'vitest';
import { SharedStart } from '../../src/composition.js';
import { ConfigError, readConfig } from '../../src/config.js';
import { silentLog } from '../support/services.js';

/** A start whose attempts the test settles one by one. */
function controlledStart() {
  const attempts: Array<{ resolve: (value: string) => void; reject: (error: Error) => void }> = [];
  const start = () => new Promise<string>((resolve, reject) => void attempts.push({ resolve, reject }));
  return { attempts, shared: new SharedStart(start) };
}

describe('starting the services', () => {
  it('starts again on the next call after a failed start, and keeps a good one', async () => {
    const { attempts, shared } = controlledStart();
    const first = shared.get(silentLog);
    attempts[0]!.reject(new Error('getaddrinfo EAI_AGAIN cosmos'));
    await expect(first).rejects.toThrow('EAI_AGAIN');

    const second = shared.get(silentLog);
    expect(attempts).toHaveLength(2);
    attempts[1]!.resolve('services');
    await expect(second).resolves.toBe('services');
    await expect(shared.get(silentLog)).resolves.toBe('services');
    expect(attempts).toHaveLength(2);
  });

  it('gives concurrent callers one shared attempt, and its failure to all of them', async () => {
    const { attempts, shared } = controlledStart();
    const callers = [shared.get(silentLog), shared.get(silentLog), shared.get(silentLog)];
    await Promise.resolve();
    expect(attempts).toHaveLength(1);
    attempts[0]!.reject(new Error('throttled'));
    for (const caller of callers) await expect(caller).rejects.toThrow('throttled');
  });

  it('turns a start that throws at once into a failed attempt that is retried', async () => {
    let calls = 0;
    const shared = new SharedStart(async () => {
      calls++;
      if (calls === 1) throw new ConfigError(['MONGODB_URI: not there yet']);
      return 'services';
    });
    await expect(shared.get(silentLog)).rejects.toThrow(ConfigError);
    await expect(shared.get(silentLog)).resolves.toBe('services');
  });
});

describe('an unresolved Key Vault reference', () => {
  it('names the setting and the reference, and says what to check', () => {
    const reference = '@Microsoft.KeyVault(SecretUri=https://kv-store.vault.azure.net/secrets/mongodb-uri/)';
    const read = () =>
      readConfig({
        STORE_ADAPTERS: 'azure',
        MONGODB_URI: reference,
        ServiceBusConnection__fullyQualifiedNamespace: 'sb-store.servicebus.windows.net',
        ImagesStorage__blobServiceUri: 'https://ststore.blob.core.windows.net',
      });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(`MONGODB_URI: the platform did not resolve the Key Vault reference ${reference}`);
    expect(read).toThrow(/keyVaultReferenceIdentity has the Key Vault Secrets User role on that vault, and that the secret exists/);
  });
});
