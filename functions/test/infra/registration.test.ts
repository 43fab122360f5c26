import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_ONLY_SETTINGS, readConfig, SETTING_NAMES } from '../../src/config.js';
import { definitions, refusedByAzure, usesDurableFunctions, type FunctionDefinition } from '../../src/definitions.js';
import { startLocalHost } from '../../src/local/host.js';
import { matchRoute } from '../../src/local/routes.js';
import { health } from '../../src/functions/health.js';
import { contract } from '../../src/http/contract/routes.js';

describe('function registration', () => {
  // The local host's SQLite file goes to a folder of its own, never into the checkout.
  const dataDir = mkdtempSync(join(tmpdir(), 'bestbuy-registration-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('declares every function once, none of them named or routed "admin…"', () => {
    const names = definitions.map((definition) => definition.name);
    expect(new Set(names).size).toBe(names.length);
    expect(definitions.map(refusedByAzure).filter(Boolean)).toEqual([]);
  });

  it('points package.json "main" at the compiled index that registers them', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/index.js');
    expect(existsSync(pkg.main)).toBe(true);
  });

  it('declares the bulk enrichment orchestration, its activities and its durable-client routes', () => {
    const byName = new Map(definitions.map((definition) => [definition.name, definition]));
    expect(byName.get('enrichment')?.kind).toBe('orchestration');
    expect(byName.get('enrichProduct')?.kind).toBe('activity');
    expect(byName.get('recordEnrichment')?.kind).toBe('activity');
    const durableRoutes = definitions.flatMap((d) => (d.kind === 'http' && d.durableClient ? [`${d.contract.method} ${d.contract.route}`] : []));
    expect(durableRoutes.sort()).toEqual(['GET manage/ai/capabilities', 'GET manage/enrichment/{id}', 'POST manage/enrichment']);
    expect(usesDurableFunctions(definitions)).toBe(true);
    expect(usesDurableFunctions(definitions.filter((d) => d.kind === 'http'))).toBe(false);
  });

  it('starts the local host with the durable definitions in the table, serving its HTTP routes and skipping the rest', async () => {
    const config = readConfig({ DATA_DIR: dataDir, LOCAL_HOST_PORT: '0', SEED_CATALOG: 'false' });
    const host = await startLocalHost(config, definitions.filter((d) => d.kind !== 'timer' && d.kind !== 'serviceBusQueue'));
    await host.close();
  });

  it('gives every timer a schedule setting the config reads and checks', () => {
    const timers = definitions.filter((definition) => definition.kind === 'timer');
    expect(timers.map((timer) => timer.name).sort()).toEqual(['outboxSweeper', 'virtualCustomer', 'virtualWorker']);
    for (const timer of timers) {
      expect(SETTING_NAMES).toContain(timer.scheduleSetting);
      expect(() => readConfig({ [timer.scheduleSetting]: '*/10 * * * *' })).toThrow(new RegExp(`${timer.scheduleSetting}: .*six fields`));
    }
  });

  it('makes the local host refuse an "admin" route, as Azure would', async () => {
    const bad: FunctionDefinition = { kind: 'http', name: 'dashboard', contract: { ...contract.health, route: 'admin/dashboard' }, handler: health };
    const config = readConfig({ DATA_DIR: dataDir, LOCAL_HOST_PORT: '0' });
    await expect(startLocalHost(config, [bad])).rejects.toThrow(/admin/);
  });

  it('matches route templates like the Functions host', () => {
    expect(matchRoute('orders/{id}', 'orders/abc')).toEqual({ id: 'abc' });
    expect(matchRoute('orders/{id}', 'orders')).toBeNull();
    expect(matchRoute('orders/{id}', 'orders/abc/extra')).toBeNull();
    expect(matchRoute('manage/orders/{id}/transitions', 'manage/orders/x1/transitions')).toEqual({ id: 'x1' });
  });
});

describe('registration agrees with host.json and local.settings.sample.json', () => {
  const hostJson = JSON.parse(readFileSync('host.json', 'utf8'));
  const sample = JSON.parse(readFileSync('local.settings.sample.json', 'utf8')).Values as Record<string, string>;

  it('serves HTTP under the route prefix the local host uses', () => {
    expect(hostJson.extensions.http.routePrefix).toBe('api');
  });

  it('gives every Service Bus trigger its connection and queue in the sample settings', () => {
    for (const definition of definitions) {
      if (definition.kind !== 'serviceBusQueue') continue;
      expect(definition.queueName).toBe('orders');
      const named = Object.keys(sample).filter((name) => name === definition.connection || name.startsWith(`${definition.connection}__`));
      expect(named.length, `${definition.connection} in local.settings.sample.json`).toBeGreaterThan(0);
    }
  });

  it('lists every cloud setting the app reads in the sample settings, and only real ones', () => {
    const cloudSettings = SETTING_NAMES.filter((name) => !LOCAL_ONLY_SETTINGS.has(name));
    const alternatives = (name: string) => [name, name.replace(/__.*$/, '')];
    for (const name of cloudSettings) {
      expect(alternatives(name).some((candidate) => candidate in sample), `${name} in local.settings.sample.json`).toBe(true);
    }
    const hostOwned = new Set(['FUNCTIONS_WORKER_RUNTIME', 'AzureWebJobsStorage']);
    for (const name of Object.keys(sample)) {
      expect(hostOwned.has(name) || (SETTING_NAMES as readonly string[]).includes(name), `${name} is read by the app`).toBe(true);
    }
    expect(() => readConfig(sample)).not.toThrow();
  });
});
