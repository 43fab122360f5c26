import { describe, expect, it } from 'vitest';
import { health } from '../src/functions/health.js';
import type { ApiRequest } from '../src/http/types.js';
import { silentLog, tempServices } from './support/services.js';

const request: ApiRequest = { method: 'GET', url: new URL('http://localhost/api/health'), params: {}, headers: new Headers(), body: '', bytes: Buffer.alloc(0) };

describe('GET /api/health', () => {
  it('reports each dependency with its latency, and 503 once the store is gone', async () => {
    const services = tempServices();
    const up = await health(request, services, silentLog);
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ status: 'ok', checks: { store: { status: 'ok' }, queue: { status: 'ok' } } });
    expect(typeof (up.body as { checks: { store: { latencyMs: number } } }).checks.store.latencyMs).toBe('number');

    await services.close(); // the database connection really goes away
    const down = await health(request, services, silentLog);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'degraded', checks: { store: { status: 'down' }, queue: { status: 'down' } } });
    await services.dispose();
  });
});
