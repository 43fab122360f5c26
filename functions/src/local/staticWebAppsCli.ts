import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:net';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../ports.js';

/** The built storefront (`vite build` into web/dist), next to dist/ in the project root. */
const WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The built watchdog next to this file: it stops the groups below if this process dies without doing so. */
const WATCHDOG = fileURLToPath(new URL('./watchdog.js', import.meta.url));

/** A child process leading a process group of its own, so stopping it also stops what it started. */
export interface GroupedProcess {
  name: string;
  /** Resolves with the exit code (null after a signal) once the process has ended. */
  exited: Promise<number | null>;
  stop(): void;
}

let watchdogInput: Writable | undefined;

/**
 * This process's watchdog, started before the first group: it reads the groups to watch from its
 * stdin until this process ends, which the kernel signals by closing the pipe even after SIGKILL.
 * Detached, so that Ctrl-C in the terminal leaves it alive to do its job.
 */
function watchdog(): Writable {
  if (!watchdogInput) {
    watchdogInput = spawn(process.execPath, [WATCHDOG], { stdio: ['pipe', 'ignore', 'inherit'], detached: true }).stdin!;
    watchdogInput.on('error', (error) => console.error(`The watchdog is gone (${error.message}): a crash now would leave the CLIs running.`));
  }
  return watchdogInput;
}

export function spawnGrouped(name: string, command: string, args: string[], options: SpawnOptions = {}): GroupedProcess {
  const watching = watchdog();
  // No stdin: a server has nothing to read, and in a group of its own a terminal read would stop it (SIGTTIN).
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options, detached: true });
  if (child.pid) watching.write(`${child.pid}\n`);
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

/** A port this machine is to listen on at 127.0.0.1, and the setting that chooses it. */
export interface WantedPort {
  port: number;
  setting: string;
}

/**
 * Checked before anything starts: each port (0 takes any free one) can be listened on at
 * 127.0.0.1, where the local host, func and the Static Web Apps CLI (`--host 127.0.0.1`) listen.
 * The probes stay open until all are checked, so one port named twice is caught too.
 */
export async function requireFreePorts(wanted: WantedPort[]): Promise<void> {
  const probes: Server[] = [];
  const refusals: string[] = [];
  for (const { port, setting } of wanted.filter(({ port }) => port !== 0)) {
    const probe = createServer();
    const refusal = await new Promise<string | undefined>((answer) => {
      probe.once('error', (error: NodeJS.ErrnoException) =>
        answer(error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be listened on (${error.code ?? error.message})`),
      );
      probe.listen(port, '127.0.0.1', () => answer(undefined));
    });
    if (refusal) refusals.push(`Port ${port} on 127.0.0.1 ${refusal}: stop what holds it, or set ${setting} to another port.`);
    else probes.push(probe);
  }
  await Promise.all(probes.map((probe) => new Promise((closed) => probe.close(closed))));
  if (refusals.length > 0) throw new Error(`${refusals.join('\n')}\nNothing was started.`);
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
 * and exits: 0 after a signal, otherwise non-zero, since a process that ends by itself, even with
 * 0 (the Static Web Apps CLI does when its port is taken), leaves the store incomplete.
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
  for (const running of processes) {
    void running.exited.then((code) => stop(`${running.name} ended by itself (exit code ${code})`, code || 1));
  }
  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
}
