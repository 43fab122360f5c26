import { rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/freePort.js';
import { descendantsOf, killSurvivors, survivors } from './support/processes.js';
import { runStart, startStack } from './support/storeStack.js';

/** Whether this test could listen on `port` at 127.0.0.1 now, as npm start would. */
function canListen(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const probe = createServer();
    probe.once('error', () => answer(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => answer(true)));
  });
}

/** Something else on a loopback port, like a Static Web Apps CLI left over from a crash. */
async function occupyPort(): Promise<{ port: number; server: Server }> {
  const server = createServer((socket) => socket.end());
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { port: (server.address() as { port: number }).port, server };
}

const folders: string[] = [];
afterAll(() => folders.forEach((path) => rmSync(path, { recursive: true, force: true })));

describe('npm start after a crash', () => {
  it('leaves nothing running once the start process is killed with SIGKILL: both ports free again', async () => {
    const stack = await startStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
    folders.push(stack.dataDir);
    const started = descendantsOf(stack.pid);
    try {
      expect(started.length).toBeGreaterThan(0); // the Static Web Apps CLI and its server
      const swaPort = Number(new URL(stack.base).port);
      const apiPort = Number(new URL(stack.apiBase).port);
      await stack.stop('SIGKILL');
      await expect.poll(() => survivors(started), { timeout: 10_000, interval: 200 }).toEqual([]);
      expect(await canListen(swaPort)).toBe(true);
      expect(await canListen(apiPort)).toBe(true);
    } finally {
      killSurvivors(started);
    }
  });

  it.each([
    ['SWA_PORT', 'LOCAL_HOST_PORT'],
    ['LOCAL_HOST_PORT', 'SWA_PORT'],
  ])('refuses to start, exits non-zero and names %s when its port is taken', async (taken, other) => {
    const { port, server } = await occupyPort();
    const dataDir = mkdtempSync(join(tmpdir(), 'bestbuy-ports-'));
    folders.push(dataDir);
    const run = runStart({ DATA_DIR: dataDir, [taken]: String(port), [other]: String(await freePort()) });
    let started: { pid: number; pgid: number }[] = [];
    try {
      const exit = await Promise.race([run.exited, new Promise((late) => setTimeout(late, 10_000, 'still running'))]);
      started = descendantsOf(run.child.pid!);
      expect(exit).not.toBe('still running');
      expect(exit).not.toBe(0);
      await expect.poll(run.output).toContain(`${port}`);
      expect(run.output()).toContain(taken);
      expect(run.output()).not.toMatch(/API on|emulator started/);
    } finally {
      run.child.kill('SIGKILL');
      killSurvivors(started);
      server.close();
    }
  });
});
