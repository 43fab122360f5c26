#!/usr/bin/env node
// Builds the Function App's deployment package for `azd deploy` (azure.yaml: services.api.dist).
// Rolldown bundles the compiled app (dist/index.js, from npm run build) with everything it imports
// into index.js and lazily loaded chunks, so the package needs no node_modules: host.json,
// package.json ("main": index.js) and the bundle, as is (remoteBuild: false).
//
//   node infra/scripts/package-api.mjs [--out <folder>] [--sourcemap]
//
// --out defaults to deploy/api; --sourcemap adds .map files (larger, mapped to dist/'s JavaScript).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { rolldown } from 'rolldown';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: options } = parseArgs({ options: { out: { type: 'string' }, sourcemap: { type: 'boolean', default: false } } });
const out = resolve(options.out ?? join(root, 'deploy', 'api'));
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const entry = join(root, manifest.main);

if (!existsSync(entry)) {
  console.error(`package-api: ${manifest.main} is missing; run npm run build first`);
  process.exit(1);
}

// The Node.js worker supplies this module at run time (it intercepts require for that name); it is
// not an npm package, so it stays a require() of the bundle.
const WORKER_MODULES = ['@azure/functions-core'];

// The package runs only the Azure adapters: composition.ts's embedded branch gets this module
// instead of the SQLite adapters, so neither they nor better-sqlite3 (a native binary) are shipped.
const EMBEDDED_SERVICES = join(root, 'dist', 'adapters', 'embedded', 'services.js');
const EXCLUDED = '\0embedded-adapters-excluded';
const excludedSource = `export function createEmbeddedServices() {
  throw new Error('This Function App package carries only the Azure adapters: set STORE_ADAPTERS=azure (it is ' + JSON.stringify(process.env.STORE_ADAPTERS ?? 'unset, so embedded') + ').');
}
`;
const azureOnly = {
  name: 'azure-only',
  async resolveId(source, importer) {
    if (!importer || !source.includes('adapters/embedded/')) return null;
    const resolved = await this.resolve(source, importer, { skipSelf: true });
    return resolved && resolve(resolved.id) === EMBEDDED_SERVICES ? EXCLUDED : null;
  },
  load: (id) => (id === EXCLUDED ? excludedSource : null),
};

// What must never reach Azure: the laptop's host and store, whatever path might pull them in.
const LAPTOP_ONLY = [join(root, 'dist', 'local') + sep, join(root, 'dist', 'adapters', 'embedded') + sep, `${sep}node_modules${sep}better-sqlite3${sep}`];

const unresolved = [];
const bundle = await rolldown({
  input: entry,
  platform: 'node',
  // The oldest Node.js the Function App may run (infra/modules/functionapp.bicep allows 20 and 22).
  transform: { target: 'node20' },
  external: WORKER_MODULES,
  plugins: [azureOnly],
  onLog(level, log, handler) {
    // Anything left unresolved would be missing on Azure, where there is no node_modules.
    if (log.code === 'UNRESOLVED_IMPORT') unresolved.push(log.message.split('\n')[0]);
    else handler(level, log);
  },
});

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const { output } = await bundle.write({
  dir: out,
  format: 'esm',
  minify: true,
  sourcemap: options.sourcemap,
  entryFileNames: 'index.js',
  chunkFileNames: 'chunks/[name]-[hash].js',
});
await bundle.close();

const shipped = output.flatMap((file) => (file.type === 'chunk' ? Object.keys(file.modules).map((id) => resolve(id)) : []));
const problems = [
  ...unresolved,
  ...shipped.filter((id) => LAPTOP_ONLY.some((part) => id.includes(part))).map((id) => `laptop-only module in the bundle: ${id}`),
];
if (problems.length > 0) {
  rmSync(out, { recursive: true, force: true });
  console.error(`package-api: the bundle would not run on Azure:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}

cpSync(join(root, 'host.json'), join(out, 'host.json'));
// What the worker reads: "type" (the bundle is ES modules, so it imports it) and "main", the file
// it loads. No dependencies and no scripts: nothing is installed or built on the server.
const { name, version, private: isPrivate, description, engines } = manifest;
const runtime = { name, version, private: isPrivate, description, type: 'module', main: 'index.js', engines };
writeFileSync(join(out, 'package.json'), `${JSON.stringify(runtime, null, 2)}\n`);
// Without a .funcignore azd applies its defaults; with this one it zips the folder as it is.
writeFileSync(join(out, '.funcignore'), '# Deploy everything here (built by infra/scripts/package-api.mjs).\n');

console.log(`package-api: ${out} is ready (${output.filter((file) => file.type === 'chunk').length} chunks)`);
