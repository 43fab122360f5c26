import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A module to import in a fresh node process, with the environment it gets. */
export interface ImportCase {
  file: string;
  env?: Record<string, string>;
}

function importOnceMs({ file, env = {} }: ImportCase): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(resolve(file)).href)}); console.log(performance.now() - t);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { PATH: process.env.PATH, ...env },
  });
  return Number(out.trim().split('\n').at(-1));
}

/**
 * Median import time of each case, `runs` fresh processes each, taken in turns so that whatever
 * else the machine is doing weighs on every case alike.
 */
export function importTimesMs<Cases extends readonly ImportCase[]>(cases: Cases, runs = 9): { [K in keyof Cases]: number } {
  const times = cases.map(() => [] as number[]);
  for (let run = 0; run < runs; run++) cases.forEach((entry, index) => times[index]!.push(importOnceMs(entry)));
  return times.map((list) => list.sort((a, b) => a - b)[Math.floor(runs / 2)]!) as { [K in keyof Cases]: number };
}

/** The file `@azure/functions` loads from, to time the programming model alone. */
export const azureFunctionsEntry = createRequire(import.meta.url).resolve('@azure/functions');

/** Settings that parse but lead nowhere: the package must reach nothing while it loads. */
export const AZURE_SETTINGS = {
  STORE_ADAPTERS: 'azure',
  MONGODB_URI: 'mongodb://127.0.0.1:9/',
  ServiceBusConnection__fullyQualifiedNamespace: 'nowhere.servicebus.windows.net',
  ImagesStorage__blobServiceUri: 'https://nowhere.blob.core.windows.net',
};

export interface AzurePackage {
  /** The file package.json "main" names, which the Functions worker imports. */
  entry: string;
  zippedBytes: number;
  remove(): void;
}

/** Builds the Function App package as azd gets it (npm run package:api) in a temporary folder, and zips it. */
export function azurePackage(): AzurePackage {
  const work = mkdtempSync(join(tmpdir(), 'bestbuy-bench-package-'));
  const folder = join(work, 'api');
  execFileSync(process.execPath, ['infra/scripts/package-api.mjs', '--out', folder], { stdio: ['ignore', 'ignore', 'inherit'] });
  const zip = join(work, 'api.zip');
  try {
    execFileSync('zip', ['-q', '-r', '-X', zip, '.'], { cwd: folder, stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    throw new Error(`zipping the package needs the zip command (apt-get install zip): ${(error as Error).message}`);
  }
  const { main } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { main: string };
  return { entry: join(folder, main), zippedBytes: statSync(zip).size, remove: () => rmSync(work, { recursive: true, force: true }) };
}
