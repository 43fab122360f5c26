import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AZURE_SETTINGS } from '../../../bench/coldStart.js';
import { readConfig } from '../../src/config.js';
import { definitions, type FunctionDefinition } from '../../src/definitions.js';

// The package is built outside the checkout, so nothing in it can fall back on the project's node_modules.
const work = mkdtempSync(join(tmpdir(), 'bestbuy-package-'));
const api = join(work, 'api');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * Stands in for the Functions Node.js worker, which answers require('@azure/functions-core') itself
 * (it is no npm package) and is told of each function through registerFunction. Also notes every
 * socket the process opens.
 */
const WORKER = `const Module = require('node:module');
const net = require('node:net');
const registered = [];
const sockets = [];
const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  sockets.push(JSON.stringify(args[0]));
  return connect.apply(this, args);
};
const coreApi = {
  version: 'test', hostVersion: 'test', log() {}, setProgrammingModel() {}, getProgrammingModel() {},
  registerHook: () => ({ dispose() {} }),
  registerFunction(metadata) {
    const trigger = Object.values(metadata.bindings).find((binding) => /Trigger$/.test(binding.type));
    registered.push({ name: metadata.name, trigger: trigger.type, route: trigger.route });
    return { dispose() {} };
  },
};
const load = Module.prototype.require;
Module.prototype.require = function (id) {
  return id === '@azure/functions-core' ? coreApi : load.apply(this, arguments);
};
process.on('exit', () => process.stdout.write(JSON.stringify({ registered, sockets })));
`;

interface Registration {
  name: string;
  trigger: string;
  route?: string;
}

/** Imports `files` of the package in a fresh process run like the worker runs it, in the package's folder. */
function loadInWorker(files: string[], env: Record<string, string>): { registered: Registration[]; sockets: string[] } {
  const imports = files.map((file) => `await import(${JSON.stringify(pathToFileURL(join(api, file)).href)});`).join('\n');
  const out = execFileSync(process.execPath, ['--require', join(work, 'worker.cjs'), '--input-type=module', '-e', imports], {
    cwd: api,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return JSON.parse(out);
}

const TRIGGERS: Record<FunctionDefinition['kind'], string> = {
  http: 'httpTrigger',
  serviceBusQueue: 'serviceBusTrigger',
  timer: 'timerTrigger',
  orchestration: 'orchestrationTrigger',
  activity: 'activityTrigger',
};
const expected = (list: readonly FunctionDefinition[]) =>
  list
    .map((definition) => ({ name: definition.name, trigger: TRIGGERS[definition.kind], ...(definition.kind === 'http' ? { route: definition.contract.route } : {}) }))
    .sort((a, b) => a.name.localeCompare(b.name));
const byName = (list: Registration[]) => [...list].sort((a, b) => a.name.localeCompare(b.name));

const filesOf = (folder: string): string[] =>
  readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(folder, join(entry.parentPath, entry.name)));

describe('the Function App package for Azure', () => {
  beforeAll(() => {
    writeFileSync(join(work, 'worker.cjs'), WORKER);
    execFileSync(process.execPath, [resolve('infra/scripts/package-api.mjs'), '--out', api, '--sourcemap'], { stdio: 'pipe' });
  });

  it('is a bundle the worker loads from package.json "main", with no node_modules', () => {
    const manifest = JSON.parse(readFileSync(join(api, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({ type: 'module', main: 'index.js' });
    expect(manifest.dependencies).toBeUndefined();
    expect(filesOf(api).filter((file) => file.includes('node_modules'))).toEqual([]);
    expect(readFileSync(join(api, 'host.json'), 'utf8')).toBe(readFileSync('host.json', 'utf8'));
  });

  it('registers every function of the table, durable ones included, without opening a connection', () => {
    expect(readConfig(AZURE_SETTINGS).azure).toBeDefined(); // settings the store accepts, pointing nowhere
    const { registered, sockets } = loadInWorker(['index.js'], { ...AZURE_SETTINGS, ENRICHMENT_ENABLED: 'true' });
    expect(byName(registered)).toEqual(expected(definitions));
    expect(sockets).toEqual([]);
  });

  it('registers all but the orchestration and its activities when bulk enrichment is off', () => {
    const { registered, sockets } = loadInWorker(['index.js'], AZURE_SETTINGS);
    expect(byName(registered)).toEqual(expected(definitions.filter((d) => d.kind !== 'orchestration' && d.kind !== 'activity')));
    expect(sockets).toEqual([]);
  });

  it('loads every lazily imported chunk from the package alone', () => {
    const chunks = filesOf(api).filter((file) => file.startsWith('chunks') && file.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(1);
    expect(loadInWorker(chunks, AZURE_SETTINGS).sockets).toEqual([]);
  });

  it('carries the Azure adapters but no SQLite, no embedded adapters and no local host', () => {
    const sources = filesOf(api)
      .filter((file) => file.endsWith('.js.map'))
      // A map's sources are relative to the map itself, which may sit in chunks/.
      .flatMap((file) => (JSON.parse(readFileSync(join(api, file), 'utf8')) as { sources: string[] }).sources.map((source) => resolve(dirname(join(api, file)), source)));
    const fromProject = (path: string) => relative(process.cwd(), path).replaceAll('\\', '/');
    expect(sources.map(fromProject)).toEqual(expect.arrayContaining(['dist/adapters/azure/services.js', 'node_modules/mongodb/lib/index.js']));
    const laptopOnly = sources.map(fromProject).filter((path) => /^dist\/(local|adapters\/embedded)\/|node_modules\/better-sqlite3\//.test(path));
    expect(laptopOnly).toEqual([]);
  });
});
