import { describe, expect, it } from 'vitest';
import { health } from '../../src/functions/health.js';
import type { RouteRequest } from '../../src/http/types.js';
import { inHostStore } from '../support/hostStore.js';
import { ADMIN, call, eventually, useHost } from '../support/localHost.js';
import { silentLog, tempServices } from '../support/services.js';
import { startTestMailCatcher } from '../support/mailCatcher.js';

const request: RouteRequest<'health'> = {
  method: 'GET',
  url: new URL('http://localhost/api/health'),
  headers: new Headers(),
  params: undefined,
  query: undefined,
  body: undefined,
  bytes: Buffer.alloc(0),
  principal: undefined,
};

describe('GET /api/health', () => {
  it('reports each dependency with its latency, and 503 once the store is gone', async () => {
    const services = tempServices();
    const up = await health(request, services, silentLog, {});
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', checks: { store: { status: 'ok' }, queue: { status: 'ok' } } });
    expect(typeof up.body.checks.store.latencyMs).toBe('number');

    await services.close(); // the database connection really goes away
    const down = await health(request, services, silentLog, {});
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'degraded', checks: { store: { status: 'down' }, queue: { status: 'down' } } });
    await services.dispose();
  });
});

describe('GET /api/health: order emails', () => {
  it('says when mail is off, and a mail server that is down delays emails without making the store unhealthy', async () => {
    const catcher = await startTestMailCatcher();
    const cases: Array<{ env: Record<string, string>; status: number; mail: object }> = [
      { env: { MAIL_PROVIDER: 'off' }, status: 200, mail: { provider: 'off', status: 'off' } },
      { env: { SMTP_URL: catcher.smtpUrl }, status: 200, mail: { provider: 'smtp', status: 'ok' } },
      { env: { SMTP_URL: 'smtp://127.0.0.1:1' }, status: 200, mail: { provider: 'smtp', status: 'down' } },
    ];
    try {
      for (const { env, status, mail } of cases) {
        const services = tempServices(env);
        const reply = await health(request, services, silentLog, {});
        expect(reply.status).toBe(status);
        expect(reply.body).toMatchObject({ status: 'ok', mail });
        // Anyone may see it; why it is down stays with employees and the log.
        expect(reply.body.mail).not.toHaveProperty('error');
        await services.dispose();
      }
    } finally {
      await catcher.close();
    }
  });
});

describe('GET /api/health when a dependency fails', () => {
  const host = useHost();

  it("tells an anonymous caller status and latency only; the log and an employee get the dependency's message", async () => {
    // The host's image store loses its table under it, as a dependency would fail in Azure.
    await inHostStore(host.dataDir, async (file) => void file.db.exec('ALTER TABLE images RENAME TO images_gone'));

    const anonymous = await call(host.url, 'GET', '/api/health');
    expect(anonymous.status).toBe(503);
    expect(anonymous.body.checks.images).toEqual({ status: 'down', latencyMs: expect.any(Number) });
    expect(JSON.stringify(anonymous.body)).not.toContain('no such table');
    await eventually(async () => host.output().includes('health: images is down: no such table: images'));

    const employee = await call(host.url, 'GET', '/api/health', { headers: ADMIN });
    expect(employee.status).toBe(503);
    expect(employee.body.checks.images).toMatchObject({ status: 'down', error: 'no such table: images' });
    expect(employee.body.checks.store).toEqual({ status: 'ok', latencyMs: expect.any(Number) });
  });
});
