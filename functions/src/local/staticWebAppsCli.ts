import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../ports.js';

/** The built storefront (`vite build` into web/dist), next to dist/ in the project root. */
const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** A child process leading a process group of its own, so stopping it also stops what it started. */
export interface GroupedProcess {
  name: string;
  /** Resolves with the exit code (null after a signal) once the process has ended. */
  exited: Promise<number | null>;
  stop(): void;
}

export function spawnGrouped(name: string, command: string, args: string[], options: SpawnOptions = {}): GroupedProcess {
  const child = spawn(command, args, { stdio: 'inherit', ...options, detached: true });
  const exited = new Promise<number | null>((done) => {
    child.once('exit', (code) => done(code));
    child.once('error', (error) => {
      console.error(`${name} could not start: ${error.message}`);
      done(1);
    });
  });
  return {
    name,
    exited,
    stop() {
      if (!child.pid) return;
      try {
        // The whole group: the CLIs run their servers as grandchildren, which must stop too.
        process.kill(-child.pid, 'SIGTERM');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error; // already gone
      }
    },
  };
}

function swaCliEntry(): string {
  const packageJson = createRequire(import.meta.url).resolve('@azure/static-web-apps-cli/package.json');
  return join(dirname(packageJson), 'dist', 'cli', 'bin.js');
}

/** Checked before anything starts, so a missing build stops the start at once. */
export function requireStorefrontBuild(): void {
  if (!existsSync(join(WEB_DIST, 'index.html'))) throw new Error(`No storefront build in ${WEB_DIST}: run npm run build first.`);
}

/** The Static Web Apps CLI serving the storefront build in front of the API at `apiUrl`, login emulator included. */
export function startStaticWebAppsCli(apiUrl: string, port: number, extraArgs: string[] = []): GroupedProcess {
  // --api-devserver-url, not --api-location: the latter would try to download Core Tools.
  const args = ['start', WEB_DIST, '--swa-config-location', WEB_DIST, '--api-devserver-url', apiUrl, '--port', String(port), '--host', '127.0.0.1'];
  return spawnGrouped('the Static Web Apps CLI', process.execPath, [swaCliEntry(), ...args, ...extraArgs]);
}

/**
 * Runs until a signal or until one of the processes ends, then stops them all, awaits `cleanup`
 * and exits: 0 after a signal, otherwise with the code of the process that ended.
 */
export function stopTogether(log: Logger, processes: GroupedProcess[], cleanup: () => Promise<void> = async () => {}): void {
  let stopping = false;
  const stop = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    log.info(`${reason}: stopping`);
    for (const running of processes) running.stop();
    await Promise.all([...processes.map((running) => running.exited), cleanup()]);
    process.exit(code);
  };
  for (const running of processes) void running.exited.then((code) => stop(`${running.name} exited (${code})`, code ?? 1));
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
}
