#!/usr/bin/env node
// Builds the Function App's deployment package for `azd deploy` (azure.yaml: services.api.dist).
// deploy/api/ gets exactly what Flex Consumption runs, as is (remoteBuild: false): host.json,
// package.json ("main": dist/index.js), the compiled dist/ and production node_modules from the
// lockfile. Dev tools (TypeScript, vitest, the Static Web Apps CLI) stay out.
import { execSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = join(root, 'deploy', 'api');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

if (!existsSync(join(root, manifest.main))) {
  console.error(`package-api: ${manifest.main} is missing; run npm run build first`);
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
cpSync(join(root, 'dist'), join(out, 'dist'), { recursive: true });
for (const file of ['host.json', 'package.json', 'package-lock.json']) cpSync(join(root, file), join(out, file));

// The lockfile's production dependencies, with the same install-script approvals as the project.
execSync('npm ci --omit=dev --no-audit --no-fund', { cwd: out, stdio: 'inherit' });

// Compilers' intermediate files of native addons (better-sqlite3 built from source) are dead weight.
const scratch = readdirSync(join(out, 'node_modules'), { withFileTypes: true, recursive: true }).filter(
  (entry) => entry.isDirectory() && ['obj', 'obj.target', '.deps'].includes(entry.name) && /[\\/]build[\\/]Release$/.test(entry.parentPath),
);
for (const entry of scratch) rmSync(join(entry.parentPath, entry.name), { recursive: true, force: true });

// The package is already built: nothing may rebuild it or install dev tools on the server.
const { devDependencies: _dev, scripts: _scripts, ...runtime } = manifest;
writeFileSync(join(out, 'package.json'), `${JSON.stringify(runtime, null, 2)}\n`);
rmSync(join(out, 'package-lock.json'));
// Present on purpose: without a .funcignore azd would leave node_modules out of the zip.
writeFileSync(join(out, '.funcignore'), '# Deploy everything here, node_modules included (built by infra/scripts/package-api.mjs).\n');

console.log(`package-api: ${out} is ready`);
