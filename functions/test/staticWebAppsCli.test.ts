import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from './support/freePort.js';

/** The emulator's login form stores the principal as base64 JSON in this cookie. */
function loginCookie(roles: string[]): string {
  const principal = { identityProvider: 'aad', userId: 'u-1', userDetails: 'kim@example.com', userRoles: ['anonymous', 'authenticated', ...roles], claims: [] };
  return `StaticWebAppsAuthCookie=${Buffer.from(JSON.stringify(principal)).toString('base64')}`;
}

describe('npm start: the store behind the real Static Web Apps CLI', () => {
  let start: ChildProcess;
  let base: string;
  let output = '';
  const dataDir = mkdtempSync(join(tmpdir(), 'bestbuy-swa-'));

  beforeAll(async () => {
    const swaPort = await freePort();
    base = `http://127.0.0.1:${swaPort}`;
    start = spawn(process.execPath, [resolve('dist/local/start.js')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, LOCAL_HOST_PORT: '0', SWA_PORT: String(swaPort) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((ready, fail) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/emulator started at/.test(output)) ready();
      };
      start.stdout!.on('data', onData);
      start.stderr!.on('data', onData);
      start.once('exit', (code) => fail(new Error(`npm start exited (${code}):\n${output}`)));
    });
  });
  afterAll(() => {
    if (start.exitCode === null) start.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the web app and proxies the API, with the seeded catalog', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('BestBuy Store');
    const products = await fetch(`${base}/api/products?limit=100`);
    expect(products.status).toBe(200);
    const { items } = (await products.json()) as { items: unknown[] };
    expect(items.length).toBeGreaterThanOrEqual(12);
    const image = await fetch(`${base}/images/aurora-headphones.svg`);
    expect(image.status).toBe(200);
  });

  it('lets only a signed-in admin through to /api/manage, via the login emulator', async () => {
    const anonymous = await fetch(`${base}/api/manage/orders`, { redirect: 'manual' });
    expect([302, 401]).toContain(anonymous.status);
    // The emulator treats a missing role like a missing login (Azure answers 403); either way, no entry.
    const shopper = await fetch(`${base}/api/manage/orders`, { headers: { cookie: loginCookie([]) }, redirect: 'manual' });
    expect([302, 401, 403]).toContain(shopper.status);
    const admin = await fetch(`${base}/api/manage/orders`, { headers: { cookie: loginCookie(['admin']) } });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toHaveProperty('items');
  });

  it('stops everything on Ctrl-C', async () => {
    const exited = new Promise<number | null>((done) => start.once('exit', (code) => done(code)));
    start.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect(fetch(`${base}/`)).rejects.toThrow();
  });
});
