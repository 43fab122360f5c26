import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, expectNoSidewaysScroll, useChromium } from '../support/browser.js';
import { checkoutFor } from '../support/checkout.js';
import { ADMIN, call, createProduct, eventually } from '../support/localHost.js';
import { signInThroughEmulator } from '../support/login.js';
import { useStack } from '../support/storeStack.js';

/**
 * An employee working many orders at once on the board, and taking orders and the catalog out
 * as CSV, in Chromium through the Static Web Apps CLI, on a wide and a phone-sized screen.
 */
describe('bulk order work and exports in Chromium', () => {
  const stack = useStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  const chromium = useChromium();

  async function signedIn(width: number): Promise<Page> {
    const page = await chromium.open({ width, height: 900 });
    await signInThroughEmulator(page, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: '/admin' });
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    return page;
  }

  async function pendingOrders(count: number, customer: string): Promise<string[]> {
    const product = await createProduct(stack().apiBase, { stock: 100 });
    const numbers: string[] = [];
    for (let n = 0; n < count; n++) {
      const placed = await call(stack().apiBase, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...checkoutFor(`${customer} ${n}`) } });
      numbers.push(placed.body.number);
      await eventually(async () => (await call(stack().apiBase, 'GET', `/api/orders/${placed.body.orderId}`)).body.status === 'pending');
    }
    return numbers;
  }

  const statusOf = async (number: string) =>
    (await call(stack().apiBase, 'GET', `/api/manage/orders?number=${number}`, { headers: ADMIN })).body.items[0].status as string;

  for (const width of [1280, 390]) {
    it(`starts two selected orders and cancels another with one reason, listing what became of each (${width} px)`, async () => {
      const [first, second, third] = await pendingOrders(3, `Bulk ${width}`);
      const page = await signedIn(width);
      await page.goto(`${stack().base}/admin/orders?status=pending`);
      await page.getByRole('checkbox', { name: `Select order ${first}` }).check();
      await page.getByRole('checkbox', { name: `Select order ${second}` }).check();
      await page.getByText('2 orders selected').waitFor();
      await expectNoSidewaysScroll(page, `board at ${width}`);
      await expectNoAxeViolations(page, `board with a selection at ${width}`);
      await page.getByRole('button', { name: 'Start selected' }).click();
      const report = page.getByRole('status').filter({ hasText: 'changed' });
      await report.getByText('2 of 2 changed.').waitFor();
      await report.getByText(`${first}: now processing`).waitFor();
      expect([await statusOf(first!), await statusOf(second!)]).toEqual(['processing', 'processing']);

      await page.getByRole('checkbox', { name: `Select order ${third}` }).check();
      await page.getByRole('button', { name: 'Cancel selected…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Cancel 1 order?' });
      await dialog.getByRole('button', { name: 'Cancel the orders' }).click();
      await dialog.getByText('Say in a few words why').waitFor(); // nothing sent without a reason
      expect(await statusOf(third!)).toBe('pending');
      await dialog.getByLabel('Reason for the customers').fill('We are closed for stocktaking.');
      await expectNoAxeViolations(page, `bulk cancel dialog at ${width}`);
      await dialog.getByRole('button', { name: 'Cancel the orders' }).click();
      await report.getByText(`${third}: now cancelled`).waitFor();
      expect(await statusOf(third!)).toBe('cancelled');
    });
  }

  it('says which orders it could not change, and why, in words', async () => {
    const [number] = await pendingOrders(1, 'Stale');
    const page = await signedIn(1280);
    await page.goto(`${stack().base}/admin/orders?status=pending`);
    await page.getByRole('checkbox', { name: `Select order ${number}` }).check();
    // Someone else starts it meanwhile: the board still shows the version it read.
    const order = (await call(stack().apiBase, 'GET', `/api/manage/orders?number=${number}`, { headers: ADMIN })).body.items[0];
    await call(stack().apiBase, 'POST', `/api/manage/orders/${order.orderId}/transitions`, { headers: ADMIN, body: { to: 'processing', version: order.version } });
    await page.getByRole('button', { name: 'Complete selected' }).click();
    await page.getByText('0 of 1 changed.').waitFor();
    await page.getByText(`${number}: not changed: Someone else changed this order first`).waitFor();

    // Everything on the page at once, and none again (the pending page is empty by now).
    await page.goto(`${stack().base}/admin/orders`);
    await page.getByRole('checkbox', { name: `Select order ${number}` }).waitFor();
    const rows = await page.getByRole('checkbox', { name: /^Select order / }).count();
    await page.getByLabel('Select all on this page').check();
    await page.getByText(`${rows} order${rows === 1 ? '' : 's'} selected`).waitFor();
    await page.getByLabel('Select all on this page').uncheck();
    await page.getByText('0 orders selected').waitFor();
  });

  it('downloads the orders of a date range and the catalog as CSV files', async () => {
    const [number] = await pendingOrders(1, 'Export');
    const page = await signedIn(390);
    await page.goto(`${stack().base}/admin/orders`);
    await page.getByRole('heading', { name: 'Export orders' }).waitFor();
    await expectNoAxeViolations(page, 'export form');
    const [orders] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download orders (CSV)' }).click()]);
    expect(orders.suggestedFilename()).toMatch(/^orders-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(readFileSync((await orders.path())!, 'utf8')).toContain(`${number},`);

    await page.getByLabel('From', { exact: true }).fill('2030-01-02');
    await page.getByLabel('To', { exact: true }).fill('2030-01-01');
    await page.getByText('The last day comes before the first').waitFor();
    expect(await page.getByRole('link', { name: 'Download orders (CSV)' }).count()).toBe(0);

    await page.goto(`${stack().base}/admin/products`);
    const [catalog] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the catalog (CSV)' }).click()]);
    expect(catalog.suggestedFilename()).toBe('products.csv');
    expect(readFileSync((await catalog.path())!, 'utf8').split('\r\n')[0]).toBe('\uFEFFid,name,price (USD),stock,tags,description');
  });
});
