import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import madge from 'madge';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of docs/architecture.md, checked on the source: no import cycles in the API or the
 * web clients, app/ imports domain and ports only, and the rules that keep one thing in one place
 * (errors built in domain/errors.ts, the audit log written by use cases only).
 */

const ROOT = join(import.meta.dirname, '../../..');
const API = join(ROOT, 'functions/src');
const WEB = join(ROOT, 'web');

type Graph = Record<string, string[]>;

async function graphOf(base: string, tsConfig: string, fileExtensions: string[]): Promise<Graph> {
  const result = await madge(base, { fileExtensions, tsConfig, excludeRegExp: [/(^|\/)dist\//, /node_modules/] });
  return result.obj();
}

/** functions/src as madge reads it, paths relative to it; read once for every test here. */
const api = graphOf(API, join(ROOT, 'tsconfig.json'), ['ts']);

/** Every specifier a piece of TypeScript imports, type-only and dynamic imports included. */
const specifiersOf = (source: string): string[] => ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);

/**
 * madge reads no .svelte file, so a component's imports are added here: those of its script
 * blocks, resolved the way Vite does for the specifiers the web code uses.
 */
function withSvelteImports(graph: Graph): Graph {
  const resolve = (from: string, specifier: string): string | undefined => {
    const target = posix.join(posix.dirname(from), specifier);
    return [target, `${target}.ts`, target.replace(/\.js$/, '.ts')].find((candidate) => existsSync(join(WEB, candidate)));
  };
  const withSvelte: Graph = { ...graph };
  for (const file of Object.keys(graph).filter((name) => name.endsWith('.svelte'))) {
    const scripts = [...readFileSync(join(WEB, file), 'utf8').matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
    withSvelte[file] = scripts
      .flatMap(specifiersOf)
      .filter((specifier) => specifier.startsWith('.'))
      .flatMap((specifier) => resolve(file, specifier) ?? []);
  }
  return withSvelte;
}

/** Each cycle once, as the files along it. */
function cyclesIn(graph: Graph): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string) => {
    const at = path.indexOf(file);
    if (at !== -1) return void cycles.push(path.slice(at));
    if (done.has(file)) return;
    path.push(file);
    for (const next of graph[file] ?? []) visit(next);
    path.pop();
    done.add(file);
  };
  for (const file of Object.keys(graph)) visit(file);
  return cycles;
}

describe('import cycles', () => {
  it('finds a cycle when there is one', () => {
    expect(cyclesIn({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': ['a.ts'], 'd.ts': ['a.ts'] })).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });

  it('has none in functions/src', async () => {
    const graph = await api;
    expect(Object.keys(graph).length).toBeGreaterThan(50);
    expect(cyclesIn(graph)).toEqual([]);
  });

  it('has none in web/, its .ts modules and .svelte components together', async () => {
    const graph = withSvelteImports(await graphOf(WEB, join(WEB, 'tsconfig.json'), ['ts', 'svelte']));
    expect(graph['src/pages/Cart.svelte']?.length).toBeGreaterThan(0); // the components' imports were read
    expect(cyclesIn(graph)).toEqual([]);
  });
});

describe('functions/src/app', () => {
  it('imports only domain/, ports.ts, app/ itself, node: built-ins and zod', async () => {
    const graph = await api;
    const appFiles = Object.keys(graph).filter((file) => file.startsWith('app/'));
    expect(appFiles.length).toBeGreaterThan(10);
    const allowedFile = (file: string) => file.startsWith('domain/') || file.startsWith('app/') || file === 'ports.ts';
    const allowedPackage = (specifier: string) => specifier.startsWith('.') || specifier.startsWith('node:') || specifier === 'zod';
    const strays = appFiles.flatMap((file) => [
      ...graph[file]!.filter((target) => !allowedFile(target)).map((target) => `${file} -> ${target}`),
      ...specifiersOf(readFileSync(join(API, file), 'utf8'))
        .filter((specifier) => !allowedPackage(specifier))
        .map((specifier) => `${file} -> ${specifier}`),
    ]);
    expect(strays).toEqual([]);
  });
});

describe('rules kept in one place', () => {
  it('builds every StoreError in domain/errors.ts, by its named constructor', async () => {
    const builders = Object.keys(await api).filter((file) => readFileSync(join(API, file), 'utf8').includes('new StoreError('));
    expect(builders).toEqual(['domain/errors.ts']);
  });

  it('leaves the audit log to the use cases: no handler records an action', async () => {
    const graph = await api;
    const handlers = Object.keys(graph).filter((file) => file.startsWith('functions/'));
    expect(handlers.length).toBeGreaterThan(20);
    const auditing = handlers.filter(
      (file) => graph[file]!.includes('app/audit.ts') || /\baudit\.record\(|\.audit\.record\(/.test(readFileSync(join(API, file), 'utf8')),
    );
    expect(auditing).toEqual([]);
  });
});
