import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Median time to import the function app's entry in a fresh node process. */
export function importTimeMs(entry: string, runs = 7, env: Record<string, string> = {}): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(resolve(entry))}); console.log(performance.now() - t);`;
  const times = Array.from({ length: runs }, () => {
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { PATH: process.env.PATH, ...env },
    });
    return Number(out.trim().split('\n').at(-1));
  }).sort((a, b) => a - b);
  return times[Math.floor(runs / 2)]!;
}

function folderBytes(folder: string, skipNodeModules: boolean): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (skipNodeModules && entry.name === 'node_modules') continue;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(path, skipNodeModules);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

/** What a deployment carries: the compiled app plus production dependencies only. */
export function deploymentBytes(): number {
  const parseable = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const packages = [...new Set(parseable.trim().split('\n'))].filter((path) => path.includes('node_modules'));
  return folderBytes('dist', false) + packages.reduce((sum, path) => sum + folderBytes(path, true), 0) + statSync('host.json').size;
}
