import { Agent, get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useHost } from '../support/localHost.js';

/**
 * Acceptance: a client that sends its request slowly is cut off once the request timeout is over,
 * and connections past the cap are closed at once while the connected ones go on being served.
 * The host runs with a 2 s timeout and a cap of 6 here (60 s and 256 by default).
 */

const TIMEOUT_S = 2;
const CAP = 6;
/** The timeout, plus the host's one-second look for late requests, plus a margin for a busy machine. */
const CUT_WITHIN_MS = (TIMEOUT_S + 1) * 1000 + 1500;

interface Slow {
  socket: Socket;
  /** Resolves when the host closes the connection: after how long, and what it said. */
  closed: Promise<{ afterMs: number; said: string }>;
}

/** Opens a connection, sends `start`, then one more byte of `drip` every 200 ms until the host closes it. */
function slowClient(port: number, start: string, drip = 'x'): Promise<Slow> {
  return new Promise((connected) => {
    const socket = connect(port, '127.0.0.1', () => {
      const began = Date.now();
      let said = '';
      socket.write(start);
      const timer = setInterval(() => socket.write(drip), 200);
      socket.on('data', (chunk) => (said += chunk.toString()));
      socket.on('error', () => {});
      const closed = new Promise<{ afterMs: number; said: string }>((done) =>
        socket.once('close', () => {
          clearInterval(timer);
          done({ afterMs: Date.now() - began, said });
        }),
      );
      connected({ socket, closed });
    });
  });
}

/** Fails if `promise` does not settle within `ms` (so a host that never cuts the client fails the test, not the run). */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, fail) => setTimeout(() => fail(new Error(`${what}: still open after ${ms} ms`)), ms))]);
}

/** A whole GET on a fresh connection: what the host said before it closed, '' if nothing. */
function freshGet(port: number): Promise<string> {
  return new Promise((done) => {
    let said = '';
    const socket = connect(port, '127.0.0.1', () => socket.write('GET /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    socket.on('data', (chunk) => (said += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => done(said));
  });
}

describe('slow clients and too many connections on the local host', () => {
  const host = useHost({ SEED_CATALOG: 'false', LOCAL_REQUEST_TIMEOUT_SECONDS: String(TIMEOUT_S), LOCAL_MAX_CONNECTIONS: String(CAP) });
  const port = () => Number(new URL(host.url).port);

  it('cuts off a client that dribbles its body once the request timeout is over', async () => {
    const head = 'POST /api/orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{';
    const client = await slowClient(port(), head, ' ');
    const { afterMs, said } = await within(client.closed, 10_000, 'a dribbled body');
    expect(afterMs).toBeGreaterThanOrEqual(TIMEOUT_S * 1000 - 100);
    expect(afterMs).toBeLessThan(CUT_WITHIN_MS);
    expect(said).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts off a client that dribbles its headers', async () => {
    const client = await slowClient(port(), 'GET /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n');
    const { afterMs } = await within(client.closed, 10_000, 'dribbled headers');
    expect(afterMs).toBeLessThan(CUT_WITHIN_MS);
  });

  it('closes connections past the cap at once, keeps serving the connected ones, and takes new ones once the slow are gone', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const keptAlive = () =>
      new Promise<number>((done, fail) => get(`${host.url}/api/products`, { agent }, (response) => response.resume().on('end', () => done(response.statusCode ?? 0))).on('error', fail));
    try {
      expect(await keptAlive()).toBe(200);
      const slow = await Promise.all(Array.from({ length: CAP - 1 }, () => slowClient(port(), 'GET /api/products HTTP/1.1\r\nHost: 127.0.0.1\r\n', 'X-Slow: 1\r\n')));
      expect(await freshGet(port()), 'a connection past the cap was served').toBe('');
      expect(await keptAlive(), 'the connected client was refused').toBe(200);
      await within(Promise.all(slow.map((client) => client.closed)), 10_000, 'the slow clients');
      expect(await freshGet(port())).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      agent.destroy();
    }
  });
});
