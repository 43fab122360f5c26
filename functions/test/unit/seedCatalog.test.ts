import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmbeddedServices } from '../../src/adapters/embedded/services.js';
import { demoCatalog } from '../../src/app/demoCatalog.js';
import { seedCatalogOnStart } from '../../src/app/seedCatalog.js';
import { systemClock } from '../../src/composition.js';
import { readConfig } from '../../src/config.js';
import type { Logger } from '../../src/ports.js';
import { bicepParams } from '../support/bicepLint.js';
import { addProduct, tempServices } from '../support/services.js';

function recordingLog() {
  const lines: Array<{ level: keyof Logger; message: string; details: unknown[] }> = [];
  const log: Logger = {
    info: (message, ...details) => void lines.push({ level: 'info', message, details }),
    warn: (message, ...details) => void lines.push({ level: 'warn', message, details }),
    error: (message, ...details) => void lines.push({ level: 'error', message, details }),
  };
  return { log, lines };
}

const productIds = async (services: Pick<ReturnType<typeof tempServices>, 'products'>) =>
  (await services.products.list({ limit: 100 })).items.map((product) => product.id).sort();

describe('seeding the demo catalog at start', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('ends with exactly the 16 demo products, without an error, when several instances start at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bestbuy-seed-'));
    // Each instance has its own connection to the one store, as Function App instances share one database.
    const instances = Array.from({ length: 6 }, () => createEmbeddedServices(readConfig({ DATA_DIR: dir }), systemClock));
    cleanups.push(async () => {
      for (const instance of instances) await instance.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const { log, lines } = recordingLog();

    await Promise.all(instances.map((instance) => seedCatalogOnStart(instance, log)));

    expect(lines.filter((line) => line.level === 'error')).toEqual([]);
    const seeded = lines.map((line) => Number(/seeded the empty catalog with (\d+)/.exec(line.message)?.[1] ?? 0));
    expect(seeded.reduce((sum, count) => sum + count, 0)).toBe(16);
    expect(await productIds(instances[0]!)).toEqual(demoCatalog.map((product) => product.id).sort());
    const aurora = await instances[0]!.products.get('aurora-headphones');
    expect(aurora).toMatchObject({ name: 'Aurora Wireless Headphones', imageUrl: '/images/aurora-headphones.svg', version: 1 });
  });

  it('leaves a catalog that has products alone', async () => {
    const services = tempServices();
    cleanups.push(() => services.dispose());
    const own = await addProduct(services, { name: 'Desk Lamp' });
    await seedCatalogOnStart(services, recordingLog().log);
    expect(await productIds(services)).toEqual([own.id]);
  });

  it('seeds nothing with SEED_CATALOG=false', async () => {
    const services = tempServices({ SEED_CATALOG: 'false' });
    cleanups.push(() => services.dispose());
    await seedCatalogOnStart(services, recordingLog().log);
    expect(await productIds(services)).toEqual([]);
  });

  it('logs a failure and lets the start go on', async () => {
    const services = tempServices();
    cleanups.push(() => services.dispose());
    await services.close(); // the store is unreachable
    const { log, lines } = recordingLog();
    await expect(seedCatalogOnStart(services, log)).resolves.toBeUndefined();
    expect(lines).toEqual([expect.objectContaining({ level: 'error', message: expect.stringContaining('seeding the demo catalog failed') })]);
  });
});

describe('SEED_CATALOG on Azure', () => {
  it('is on unless `azd env set SEED_CATALOG false` says otherwise', async () => {
    const infra = join(import.meta.dirname, '..', '..', '..', 'infra');
    expect((await bicepParams(join(infra, 'main.bicep'))).get('seedCatalog')).toMatchObject({ default: true, required: false });
    const parameters = JSON.parse(readFileSync(join(infra, 'main.parameters.json'), 'utf8')).parameters;
    expect(parameters.seedCatalog).toEqual({ value: '${SEED_CATALOG=true}' });
  });
});
