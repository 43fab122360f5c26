import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConfig } from '../config.js';
import { startLocalHost } from './host.js';
import { consoleLogger } from './logger.js';
import { LIVELY_SCHEDULE } from './timers.js';

/**
 * npm start keeps the store alive with a gentle demo pace unless the caller chose otherwise: the
 * timers tick every 10 s rather than Azure's cheap sparse defaults.
 */
const DEMO_DEFAULTS: Record<string, string> = {
  VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '120',
  VIRTUAL_WORKER_ORDERS_PER_HOUR: '120',
  OUTBOX_SWEEP_SCHEDULE: LIVELY_SCHEDULE,
  VIRTUAL_ACTORS_SCHEDULE: LIVELY_SCHEDULE,
};

/** The built storefront (`vite build` into web/dist), next to dist/ in the project root. */
const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

function swaCli(): string {
  const packageJson = createRequire(import.meta.url).resolve('@azure/static-web-apps-cli/package.json');
  return join(dirname(packageJson), 'dist', 'cli', 'bin.js');
}

/** The whole store on one machine: the local host on :7071 behind the Static Web Apps CLI on :4280. */
async function main(): Promise<void> {
  const log = consoleLogger('start');
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`No storefront build in ${WEB_DIST}: run npm run build first.`);
  for (const [name, value] of Object.entries(DEMO_DEFAULTS)) process.env[name] ??= value;
  const config = readConfig();
  const host = await startLocalHost(config);
  log.info(`API on ${host.url}/api`);

  // --api-devserver-url, not --api-location: the latter would try to download Core Tools.
  const swa = spawn(
    process.execPath,
    [swaCli(), 'start', WEB_DIST, '--swa-config-location', WEB_DIST, '--api-devserver-url', host.url, '--port', String(config.local.swaPort), '--host', '127.0.0.1'],
    // Its own process group: the CLI runs its server as a grandchild, which must stop with it.
    { stdio: 'inherit', detached: true },
  );
  const swaExited = new Promise<void>((done) => swa.once('exit', () => done()));

  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info(`${reason}: stopping`);
    if (swa.exitCode === null && swa.pid) process.kill(-swa.pid, 'SIGTERM');
    await Promise.all([swaExited, host.close()]);
    process.exit(code);
  };
  swa.on('exit', (code) => void stop(`the Static Web Apps CLI exited (${code})`, code ?? 1));
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  log.info(`Store on http://127.0.0.1:${config.local.swaPort} (sign in at /.auth/login/aad)`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
