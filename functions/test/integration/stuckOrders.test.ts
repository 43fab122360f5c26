import { describe, expect, it } from 'vitest';
import { LIVELY_SCHEDULE } from '../../src/local/timers.js';
import { ADMIN, call, createProduct, eventually, useHost } from '../support/localHost.js';
import { orderNeverSent } from '../support/hostStore.js';

/**
 * An order whose send failed for longer than the outbox re-sends (half the 120 s duplicate window
 * here: 60 s): the overview counts it as stuck, and an employee sends it to the makeline again.
 */
describe('orders stuck in received, on the local host', () => {
  const host = useHost({
    SEED_CATALOG: 'false',
    OUTBOX_RESEND_AFTER_SECONDS: '1',
    QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS: '120',
    OUTBOX_SWEEP_SCHEDULE: LIVELY_SCHEDULE,
  });

  const statusOf = async (orderId: string) => (await call(host.url, 'GET', `/api/orders/${orderId}`)).body.status as string;

  it('re-sends a recent one by itself, counts an old one as stuck, and an employee sends that one again', async () => {
    const product = await createProduct(host.url, { stock: 10 });
    const recent = await orderNeverSent(host, product.id, 2);
    const old = await orderNeverSent(host, product.id, 3600);
    // The sweeper ticks every 10 s: the recent order is re-sent well inside its 60 s.
    await eventually(async () => (await statusOf(recent)) === 'pending', 30_000);

    const overview = await call(host.url, 'GET', '/api/manage/overview', { headers: ADMIN });
    expect(overview.body.stuckOrders).toMatchObject({ count: 1, limit: 100 });
    expect(await statusOf(old)).toBe('received'); // the sweeper has left it alone

    expect((await call(host.url, 'POST', `/api/manage/orders/${old}/resend`)).status).toBe(401);
    const resent = await call(host.url, 'POST', `/api/manage/orders/${old}/resend`, { headers: ADMIN });
    expect(resent.status).toBe(202);
    await eventually(async () => (await statusOf(old)) === 'pending');
    expect((await call(host.url, 'GET', `/api/products/${product.id}`)).body.stock).toBe(8);

    const again = await call(host.url, 'POST', `/api/manage/orders/${old}/resend`, { headers: ADMIN });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('not_received');
    expect((await call(host.url, 'POST', '/api/manage/orders/no-such-order/resend', { headers: ADMIN })).status).toBe(404);
    expect((await call(host.url, 'GET', '/api/manage/overview', { headers: ADMIN })).body.stuckOrders.count).toBe(0);

    const log = await call(host.url, 'GET', '/api/manage/audit?limit=10', { headers: ADMIN });
    expect(log.body.items.filter((entry: { action: string; target: string }) => entry.action === 'order.resend' && entry.target === old)).toHaveLength(1);
  });
});
