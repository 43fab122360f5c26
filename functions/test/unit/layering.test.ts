import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import madge from 'madge';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The layers of docs/architecture.md, checked on the source: no import cycles in the API or the
 * web clients, every row of the document's Layers table, and the rules that keep one thing in one
 * place (errors built in domain/errors.ts, the audit log written by use cases only, pictures
 * decoded in adapters/images/ alone).
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

/** A row of docs/architecture.md's Layers table: its files, and what they may import. */
interface LayerRow {
  /** `domain/`, `ports.ts`, `index.ts`, …: a folder ends with a slash. */
  members: string[];
  /** Paths in functions/src (folders end with a slash), or null for "anything". */
  mayImport: string[] | null;
  /** The only packages its files may import (`node:*` for every built-in), or null for no rule. */
  packages: string[] | null;
}

const isPath = (token: string) => token.endsWith('/') || token.endsWith('.ts');

/** The Layers table as written: the document is what a newcomer reads, so it is what is checked. */
function layerRows(markdown: string): LayerRow[] {
  const section = markdown.split(/^### Layers/m)[1]?.split(/^#{2,3} /m)[0] ?? '';
  const ticks = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const [layer, , mayImport] = line.split('|').slice(1, -1).map((cell) => cell.trim());
      const allowed = ticks(mayImport!);
      const packages = allowed.filter((token) => !isPath(token));
      return {
        members: ticks(layer!),
        mayImport: /\*anything\*/.test(mayImport!) ? null : allowed.filter(isPath),
        packages: packages.length ? packages : null,
      };
    });
}

const belongsTo = (file: string, member: string) => (member.endsWith('/') ? file.startsWith(member) : file === member);

/** Each import of a file that its row does not allow, as "file -> target". */
function strays(graph: Graph, rows: LayerRow[], readSource: (file: string) => string): string[] {
  const rowOf = (file: string) => rows.find((row) => row.members.some((member) => belongsTo(file, member)));
  const packageAllowed = (allowed: string[], specifier: string) =>
    specifier.startsWith('.') || allowed.includes(specifier) || (specifier.startsWith('node:') && allowed.includes('node:*'));
  return Object.keys(graph).flatMap((file) => {
    const row = rowOf(file);
    if (!row) return [`${file} -> (no row of the Layers table holds it)`];
    const own = (target: string) => rowOf(target) === row;
    const files = row.mayImport === null ? [] : graph[file]!.filter((target) => !own(target) && !row.mayImport!.some((member) => belongsTo(target, member)));
    const packages = row.packages === null ? [] : specifiersOf(readSource(file)).filter((specifier) => !packageAllowed(row.packages!, specifier));
    return [...files, ...packages].map((target) => `${file} -> ${target}`);
  });
}

describe("docs/architecture.md's Layers table", () => {
  const rows = layerRows(readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8'));

  it('is read from the document, a row per layer', () => {
    expect(rows.length).toBeGreaterThanOrEqual(15);
    expect(rows.find((row) => row.members.includes('app/'))).toEqual({ members: ['app/'], mayImport: ['domain/', 'ports.ts'], packages: ['zod', 'node:*'] });
  });

  it('catches an import its row does not allow, a package outside its list, and a file no row holds', () => {
    const table = [
      { members: ['domain/'], mayImport: [], packages: ['zod'] },
      { members: ['app/'], mayImport: ['domain/'], packages: null },
    ];
    const graph = { 'domain/a.ts': ['app/b.ts'], 'app/b.ts': ['domain/a.ts'], 'stray.ts': [] };
    const sources: Record<string, string> = { 'domain/a.ts': "import 'pngjs';", 'app/b.ts': "import 'anything';" };
    expect(strays(graph, table, (file) => sources[file] ?? '')).toEqual([
      'domain/a.ts -> app/b.ts',
      'domain/a.ts -> pngjs',
      'stray.ts -> (no row of the Layers table holds it)',
    ]);
  });

  it('holds for every file of functions/src', async () => {
    const graph = await api;
    expect(Object.keys(graph).length).toBeGreaterThan(50);
    expect(strays(graph, rows, (file) => readFileSync(join(API, file), 'utf8'))).toEqual([]);
  });
});

/** What each of these files imports that is not a file of functions/src: packages and built-ins. */
const packagesOf = (files: string[]) =>
  files.flatMap((file) => specifiersOf(readFileSync(join(API, file), 'utf8')).filter((specifier) => !specifier.startsWith('.')).map((specifier) => `${file} -> ${specifier}`));

describe('rules kept in one place', () => {
  it('builds every StoreError in domain/errors.ts, by its named constructor', async () => {
    const builders = Object.keys(await api).filter((file) => readFileSync(join(API, file), 'utf8').includes('new StoreError('));
    expect(builders).toEqual(['domain/errors.ts']);
  });

  it('decodes pictures in adapters/images/ alone: nothing else imports pngjs or jpeg-js', async () => {
    const decoding = packagesOf(Object.keys(await api)).filter((edge) => / -> (pngjs|jpeg-js)$/.test(edge));
    expect(decoding).toEqual(['adapters/images/decoder.ts -> pngjs', 'adapters/images/decoder.ts -> jpeg-js']);
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
