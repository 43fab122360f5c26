import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../src/config.js';
import { definitions, refusedByAzure, type FunctionDefinition } from '../src/definitions.js';
import { startLocalHost } from '../src/local/host.js';
import { matchRoute } from '../src/local/routes.js';
import { health } from '../src/functions/health.js';

describe('function registration', () => {
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

  it('uses six-field NCRONTAB schedules for timers', () => {
    for (const definition of definitions) {
      if (definition.kind === 'timer') expect(definition.schedule.split(' ')).toHaveLength(6);
    }
  });

  it('makes the local host refuse an "admin" route, as Azure would', async () => {
    const bad: FunctionDefinition = { kind: 'http', name: 'dashboard', route: 'admin/dashboard', methods: ['GET'], handler: health };
    const config = readConfig({ DATA_DIR: ':memory:', LOCAL_HOST_PORT: '0' });
    await expect(startLocalHost(config, [bad])).rejects.toThrow(/admin/);
  });

  it('matches route templates like the Functions host', () => {
    expect(matchRoute('orders/{id}', 'orders/abc')).toEqual({ id: 'abc' });
    expect(matchRoute('orders/{id}', 'orders')).toBeNull();
    expect(matchRoute('orders/{id}', 'orders/abc/extra')).toBeNull();
    expect(matchRoute('manage/orders/{id}/transitions', 'manage/orders/x1/transitions')).toEqual({ id: 'x1' });
  });
});
