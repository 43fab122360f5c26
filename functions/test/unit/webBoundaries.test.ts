import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The storefront (web/src) and the admin page (web/admin/src) are two apps that share code only
 * through web/shared (imported as `$shared/…`). An import from one app into the other would tie
 * their builds together again and pull one app's code into the other's bundle.
 */

const WEB = resolve('web');
const APPS = { storefront: join(WEB, 'src'), admin: join(WEB, 'admin', 'src'), shared: join(WEB, 'shared') };

/** Every `import … from 'x'`, `import 'x'`, `export … from 'x'` and `import('x')`, type-only ones too. */
const IMPORT = /\b(import|export)\s+(type\s+)?(?:[\w$*{},\s]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : /\.(ts|svelte)$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

function imports(file: string): Array<{ target: string; line: string }> {
  const found = [];
  for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
    const specifier = match[3] ?? match[4]!;
    const target = specifier.startsWith('$shared/') ? join(APPS.shared, specifier.slice('$shared/'.length)) : specifier.startsWith('.') ? resolve(dirname(file), specifier) : specifier;
    found.push({ target, line: `${relative(WEB, file)}: ${specifier}` });
  }
  return found;
}

const inside = (dir: string, path: string) => path === dir || path.startsWith(dir + '/');

/** The imports of files under `from` that reach into `to`. */
const crossings = (from: string, to: string) =>
  files(from).flatMap((file) => imports(file).filter((found) => inside(to, found.target)).map((found) => found.line));

describe('the boundaries between the two web apps', () => {
  it('finds the imports it checks, $shared ones included', () => {
    const admin = files(APPS.admin).flatMap(imports);
    expect(admin.length).toBeGreaterThan(20);
    expect(admin.filter((found) => inside(APPS.shared, found.target)).length).toBeGreaterThan(5);
  });

  it('the admin page imports nothing from the storefront', () => {
    expect(crossings(APPS.admin, APPS.storefront)).toEqual([]);
  });

  it('the storefront imports nothing from the admin page', () => {
    expect(crossings(APPS.storefront, APPS.admin)).toEqual([]);
  });

  it('the shared module imports nothing from either app (the API shapes come from the contract)', () => {
    expect(crossings(APPS.shared, APPS.admin)).toEqual([]);
    expect(crossings(APPS.shared, APPS.storefront)).toEqual([]);
  });
});
