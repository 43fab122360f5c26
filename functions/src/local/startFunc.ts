import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { readConfig } from '../config.js';
import { consoleLogger } from './logger.js';
import { requireFreePorts, requireStorefrontBuild, spawnGrouped, startStaticWebAppsCli, stopTogether } from './staticWebAppsCli.js';

/** Core Tools' own default when local.settings.json names no Host.LocalHttpPort. */
const DEFAULT_FUNCTIONS_PORT = 7071;
/** A first `func start` downloads the extension bundle; the CLI waits this long for the host. */
const FUNCTIONS_HOST_WAIT_SECONDS = 180;

const CORE_TOOLS_MISSING = [
  'Azure Functions Core Tools (`func`) is not on PATH.',
  'Install version 4, e.g. `npm install -g azure-functions-core-tools@4`',
  '(other ways: https://learn.microsoft.com/azure/azure-functions/functions-run-local#install-the-azure-functions-core-tools),',
  'then run `npm run start:func` again. `npm start` runs the same store without Core Tools.',
].join('\n');

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** The port `func start` listens on: the one local.settings.json gives it, as Core Tools reads it. */
function functionsPort(settingsFile: string): number {
  if (!existsSync(settingsFile)) {
    throw new Error(`No ${settingsFile}: run \`cp local.settings.sample.json local.settings.json\` first.`);
  }
  const settings = JSON.parse(readFileSync(settingsFile, 'utf8')) as { Host?: { LocalHttpPort?: unknown } };
  const port = settings.Host?.LocalHttpPort ?? DEFAULT_FUNCTIONS_PORT;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${settingsFile}: Host.LocalHttpPort must be a port number, not ${JSON.stringify(port)}.`);
  }
  return port;
}

/**
 * The store on the Functions host: `func start` (Core Tools, the Azure adapters against the
 * emulators in local.settings.json) behind the Static Web Apps CLI, which adds sign-in and roles.
 * npm runs scripts in the project root, where host.json and local.settings.json live.
 */
async function main(): Promise<void> {
  const log = consoleLogger('start:func');
  const func = findOnPath('func');
  if (!func) {
    console.error(CORE_TOOLS_MISSING);
    process.exit(1);
  }
  requireStorefrontBuild();
  const root = process.cwd();
  const port = functionsPort(join(root, 'local.settings.json'));
  const { swaPort } = readConfig().local;
  await requireFreePorts([
    { port, setting: 'Host.LocalHttpPort in local.settings.json' },
    { port: swaPort, setting: 'SWA_PORT' },
  ]);
  const host = spawnGrouped('func start', func, ['start'], { cwd: root });
  const swa = startStaticWebAppsCli(`http://127.0.0.1:${port}`, swaPort, ['--devserver-timeout', String(FUNCTIONS_HOST_WAIT_SECONDS)]);
  stopTogether(log, [host, swa]);
  log.info(`Store on http://127.0.0.1:${swaPort} once the Functions host answers on :${port} (admin at /admin)`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
