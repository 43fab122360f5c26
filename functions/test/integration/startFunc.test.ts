import { spawn } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/freePort.js';
import { loginCookie } from '../support/login.js';
import { descendantsOf, killSurvivors, survivors } from '../support/processes.js';

const START_FUNC = resolve('dist/local/startFunc.js');

/**
 * Stands in for Core Tools, which cannot be installed here: `func start` serves, on the port
 * local.settings.json gives it, an API that answers with the path and principal it received.
 */
const FAKE_FUNC = `#!/usr/bin/env node
const { createServer } = require('node:http');
const { readFileSync } = require('node:fs');
if (process.argv[2] !== 'start') process.exit(2);
const port = JSON.parse(readFileSync('local.settings.json', 'utf8')).Host.LocalHttpPort;
createServer((request, response) => {
  response.setHeader('content-type', 'application/json');
  const principal = request.headers['x-ms-client-principal'];
  response.end(JSON.stringify({
    path: request.url,
    roles: principal ? JSON.parse(Buffer.from(principal, 'base64').toString()).userRoles : null,
  }));
}).listen(port, '127.0.0.1');
`;

const folders: string[] = [];
function folder(): string {
  const path = mkdtempSync(join(tmpdir(), 'bestbuy-startfunc-'));
  folders.push(path);
  return path;
}
afterAll(() => folders.forEach((path) => rmSync(path, { recursive: true, force: true })));

/** A PATH with an executable fake `func`, and node (the fake and the CLI's server run on it). */
function pathWithFakeCoreTools(): string {
  const bin = folder();
  writeFileSync(join(bin, 'func'), FAKE_FUNC);
  chmodSync(join(bin, 'func'), 0o755);
  return [bin, dirname(process.execPath)].join(delimiter);
}

/** A project folder whose local.settings.json puts the Functions host on `port`. */
function projectOn(port: number): string {
  const project = folder();
  writeFileSync(join(project, 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: {}, Host: { LocalHttpPort: port } }));
  return project;
}

/** Runs dist/local/startFunc.js in `cwd` (npm runs it in the project root) with only the given PATH. */
function startFunc(cwd: string, path: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [START_FUNC], { cwd, env: { PATH: path, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  return { child, exited, output: () => output };
}

describe('npm run start:func: the Static Web Apps CLI in front of func start', () => {
  it('serves the storefront and forwards /api, with the signed-in principal, to the Functions host; SIGTERM stops both', async () => {
    const [functionsPort, swaPort] = [await freePort(), await freePort()];
    const project = projectOn(functionsPort);
    const run = startFunc(project, pathWithFakeCoreTools(), { SWA_PORT: String(swaPort) });
    try {
      await expect.poll(run.output, { timeout: 30_000, interval: 200 }).toMatch(/emulator started at/);
      const base = `http://127.0.0.1:${swaPort}`;
      expect(await (await fetch(`${base}/`)).text()).toContain('BestBuy Store');
      expect(await (await fetch(`${base}/api/products?limit=3`)).json()).toEqual({ path: '/api/products?limit=3', roles: null });
      const admin = await fetch(`${base}/api/manage/orders`, { headers: { cookie: loginCookie(['admin']) } });
      expect(await admin.json()).toMatchObject({ path: '/api/manage/orders', roles: expect.arrayContaining(['admin']) });
    } finally {
      run.child.kill('SIGTERM');
    }
    expect(await run.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${swaPort}/`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${functionsPort}/api/products`)).rejects.toThrow();
  });

  it('leaves neither func nor the CLI running once it is killed with SIGKILL', async () => {
    const [functionsPort, swaPort] = [await freePort(), await freePort()];
    const project = projectOn(functionsPort);
    const run = startFunc(project, pathWithFakeCoreTools(), { SWA_PORT: String(swaPort) });
    let started: { pid: number; pgid: number }[] = [];
    try {
      await expect.poll(run.output, { timeout: 30_000, interval: 200 }).toMatch(/emulator started at/);
      started = descendantsOf(run.child.pid!);
      run.child.kill('SIGKILL');
      await expect.poll(() => survivors(started), { timeout: 10_000, interval: 200 }).toEqual([]);
      await expect(fetch(`http://127.0.0.1:${swaPort}/`)).rejects.toThrow();
      await expect(fetch(`http://127.0.0.1:${functionsPort}/api/products`)).rejects.toThrow();
    } finally {
      run.child.kill('SIGKILL');
      killSurvivors(started);
    }
  });

  it('starts nothing and exits non-zero when the Functions port is taken, naming the setting', async () => {
    const taken = createServer();
    await new Promise<void>((listening) => taken.listen(0, '127.0.0.1', listening));
    const functionsPort = (taken.address() as AddressInfo).port;
    const run = startFunc(projectOn(functionsPort), pathWithFakeCoreTools(), { SWA_PORT: String(await freePort()) });
    try {
      expect(await run.exited).toBe(1);
      await expect.poll(run.output).toContain(`Port ${functionsPort}`);
      expect(run.output()).toContain('Host.LocalHttpPort in local.settings.json');
      expect(run.output()).not.toMatch(/Static Web Apps CLI/);
    } finally {
      run.child.kill('SIGKILL');
      taken.close();
    }
  });

  it('says how to install Core Tools, and starts nothing, when func is not on PATH', async () => {
    const run = startFunc(folder(), folder()); // an empty PATH folder
    expect(await run.exited).toBe(1);
    expect(run.output()).toMatch(/Core Tools \(`func`\) is not on PATH/);
    expect(run.output()).toContain('npm install -g azure-functions-core-tools@4');
    expect(run.output()).not.toMatch(/Static Web Apps CLI/);
  });

  it('asks for local.settings.json before starting func', async () => {
    const run = startFunc(folder(), pathWithFakeCoreTools());
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('cp local.settings.sample.json local.settings.json');
  });
});
