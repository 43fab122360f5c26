import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/freePort.js';
import { descendantsOf, killSurvivors, survivors } from '../support/processes.js';
import { runStart, startStack } from '../support/storeStack.js';

/** Whether this test could listen on `port` at 127.0.0.1 now, as npm start would. */
function canListen(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const probe = createServer();
    probe.once('error', () => answer(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => answer(true)));
  });
}

/** Listens on `port` (0: any) at 127.0.0.1; rejects if it cannot. */
function listenOn(server: Server, port: number): Promise<number> {
  return new Promise((listening, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => listening((server.address() as AddressInfo).port));
  });
}

const folders: string[] = [];
afterAll(() => folders.forEach((path) => rmSync(path, { recursive: true, force: true })));

describe('npm start after a crash', () => {
  it('leaves nothing running once the start process is killed with SIGKILL: its ports free again, the mail catcher\'s too', async () => {
    const stack = await startStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
    folders.push(stack.dataDir);
    const started = descendantsOf(stack.pid);
    try {
      expect(started.length).toBeGreaterThan(0); // the Static Web Apps CLI and its server
      const swaPort = Number(new URL(stack.base).port);
      const apiPort = Number(new URL(stack.apiBase).port);
      const mailPort = Number(new URL(stack.mailBase!).port);
      await stack.stop('SIGKILL');
      await expect.poll(() => survivors(started), { timeout: 10_000, interval: 200 }).toEqual([]);
      expect(await canListen(swaPort)).toBe(true);
      expect(await canListen(apiPort)).toBe(true);
      expect(await canListen(mailPort)).toBe(true); // the mail catcher lived in the start process
    } finally {
      killSurvivors(started);
    }
  });

  it('exits non-zero when the Static Web Apps CLI ends by itself, though the CLI exits 0', async () => {
    // The port is free when npm start checks it and taken by the time the CLI checks it: the CLI gives up with exit code 0.
    const swaPort = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'bestbuy-ports-'));
    folders.push(dataDir);
    const run = runStart({ DATA_DIR: dataDir, LOCAL_HOST_PORT: '0', SWA_PORT: String(swaPort) });
    const late = createServer((socket) => socket.end());
    let started: { pid: number; pgid: number }[] = [];
    try {
      await expect.poll(run.output, { timeout: 30_000, interval: 20 }).toMatch(/API on/); // printed just before the CLI starts
      await listenOn(late, swaPort);
      started = descendantsOf(run.child.pid!);
      expect(await run.exited).not.toBe(0);
      expect(run.output()).toMatch(/Static Web Apps CLI ended by itself \(exit code 0\)/);
    } finally {
      run.child.kill('SIGKILL');
      killSurvivors(started);
      late.close();
    }
  });

  it.each(['SWA_PORT', 'LOCAL_HOST_PORT', 'MAIL_CATCHER_SMTP_PORT', 'MAIL_CATCHER_WEB_PORT'])('refuses to start, exits non-zero and names %s when its port is taken', async (taken) => {
    const holder = createServer((socket) => socket.end()); // like a store, or another mail catcher, still running
    const port = await listenOn(holder, 0);
    const dataDir = mkdtempSync(join(tmpdir(), 'bestbuy-ports-'));
    folders.push(dataDir);
    const others = { SWA_PORT: String(await freePort()), LOCAL_HOST_PORT: '0', MAIL_CATCHER_SMTP_PORT: '0', MAIL_CATCHER_WEB_PORT: '0' };
    const run = runStart({ DATA_DIR: dataDir, ...others, [taken]: String(port) });
    try {
      const exit = await Promise.race([run.exited, new Promise((late) => setTimeout(late, 10_000, 'still running'))]);
      expect(exit).not.toBe('still running');
      expect(exit).not.toBe(0);
      await expect.poll(run.output).toContain(`Port ${port}`);
      expect(run.output()).toContain(`set ${taken}`);
      expect(run.output()).not.toMatch(/API on|emulator started/);
    } finally {
      run.child.kill('SIGKILL');
      holder.close();
    }
  });
});
