import { describe, expect, it } from 'vitest';
import { loginCookie } from './support/login.js';
import { useStack } from './support/storeStack.js';

describe('npm start: the store behind the real Static Web Apps CLI', () => {
  const stack = useStack();

  it('serves the web app and proxies the API, with the seeded catalog', async () => {
    const page = await fetch(`${stack().base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('BestBuy Store');
    const products = await fetch(`${stack().base}/api/products?limit=100`);
    expect(products.status).toBe(200);
    const { items } = (await products.json()) as { items: unknown[] };
    expect(items.length).toBeGreaterThanOrEqual(12);
    const image = await fetch(`${stack().base}/images/aurora-headphones.svg`);
    expect(image.status).toBe(200);
  });

  it('lets only a signed-in admin through to /api/manage, via the login emulator', async () => {
    const anonymous = await fetch(`${stack().base}/api/manage/orders`, { redirect: 'manual' });
    expect([302, 401]).toContain(anonymous.status);
    // The emulator treats a missing role like a missing login (Azure answers 403); either way, no entry.
    const shopper = await fetch(`${stack().base}/api/manage/orders`, { headers: { cookie: loginCookie([]) }, redirect: 'manual' });
    expect([302, 401, 403]).toContain(shopper.status);
    const admin = await fetch(`${stack().base}/api/manage/orders`, { headers: { cookie: loginCookie(['admin']) } });
    expect(admin.status).toBe(200);
    expect(await admin.json()).toHaveProperty('items');
  });

  it('stops everything on Ctrl-C', async () => {
    expect(await stack().stop('SIGINT')).toBe(0);
    await expect(fetch(`${stack().base}/`)).rejects.toThrow();
  });
});
