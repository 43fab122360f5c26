import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './freePort.js';

// Free of vitest: the bench (bench/lighthouse.ts) starts the same stack the browser tests use.

const START_ENTRY = resolve('dist/local/start.js');
/** npm start prints the local host's address before the CLI's, and the mail catcher's before both. */
const API_ON = /API on (http:\/\/127\.0\.0\.1:\d+)\/api/;
const MAIL_ON = /Emails the store sends: (http:\/\/127\.0\.0\.1:\d+)/;

/** `npm start`'s stack: the built local host behind the real Static Web Apps CLI serving web/dist. */
export interface RunningStack {
  /** The Static Web Apps CLI's address: the storefront, /api and /.auth all live here. */
  base: string;
  /** The local host itself, behind the CLI: for calls that carry their own x-ms-client-principal (the CLI would replace it). */
  apiBase: string;
  /** The mail catcher's web page (its REST API under /api/email); null when the environment named a mail service. */
  mailBase: string | null;
  dataDir: string;
  /** The start process's own. */
  pid: number;
  /** Resolves with the exit code once npm start has ended, whatever ended it. */
  exited: Promise<number | null>;
  /** Everything npm start printed so far. */
  output(): string;
  /** Sends a signal and resolves with the exit code once the whole stack has ended. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A run of dist/local/start.js with the given environment only, its output collected as it comes. */
export function runStart(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, [START_ENTRY], {
    // Every test client is 127.0.0.1 behind the CLI, and suites place more orders than one visitor may;
    // stacks run side by side, so each mail catcher takes free ports.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, RATE_LIMITS: 'off', MAIL_CATCHER_SMTP_PORT: '0', MAIL_CATCHER_WEB_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => (output += chunk.toString());
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exited, output: () => output };
}

/** Starts dist/local/start.js on a free port with a temporary data folder; resolves once the CLI is serving. */
export async function startStack(env: Record<string, string> = {}): Promise<RunningStack> {
  const swaPort = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'bestbuy-swa-'));
  const { child, exited, output } = runStart({ DATA_DIR: dataDir, LOCAL_HOST_PORT: '0', SWA_PORT: String(swaPort), ...env });
  const apiBase = await new Promise<string>((ready, fail) => {
    const onData = () => {
      const api = API_ON.exec(output());
      if (api && /emulator started at/.test(output())) ready(api[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => fail(new Error(`npm start exited (${code}):\n${output()}`)));
  });
  return {
    base: `http://127.0.0.1:${swaPort}`,
    apiBase,
    mailBase: MAIL_ON.exec(output())?.[1] ?? null,
    dataDir,
    pid: child.pid!,
    exited,
    output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
