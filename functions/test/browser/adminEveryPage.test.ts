import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectControlsUncovered, expectNoAxeViolations, expectNoSidewaysScroll, useChromium } from '../support/browser.js';
import { makeDeadLetter } from '../support/deadLetters.js';
import { ADMIN, call, createProduct, eventually } from '../support/localHost.js';
import { signInThroughEmulator } from '../support/login.js';
import { checkoutFor } from '../support/checkout.js';
import { useStack } from '../support/storeStack.js';

const PHONE = { width: 390, height: 844 };

/**
 * Every admin page on a phone, with data on it; the AI-off explanation (this stack has no AI
 * settings); the audit log in words. The virtual actors are off, so only the test moves orders.
 */
describe('admin page on a phone, without AI, in Chromium', () => {
  const stack = useStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  const chromium = useChromium();

  async function signedIn(roles: string[], then: string): Promise<Page> {
    const page = await chromium.open(PHONE);
    await signInThroughEmulator(page, stack().base, { userDetails: 'sam.employee@bestbuy.example', roles, then });
    return page;
  }

  /** An order the makeline has taken (pending), for a product of its own: its id and the number people read. */
  async function pendingOrder(productId: string): Promise<{ orderId: string; number: string }> {
    const placed = await call(stack().apiBase, 'POST', '/api/orders', { body: { items: [{ productId, quantity: 1 }], ...checkoutFor('Phone Shopper') } });
    const orderId = placed.body.orderId as string;
    await eventually(async () => (await call(stack().apiBase, 'GET', `/api/orders/${orderId}`)).body.status === 'pending');
    return { orderId, number: placed.body.number as string };
  }

  it('fits every admin page into 390 px: no sideways scroll, tables as cards, every control reachable', async () => {
    const name = 'Pocket Radio With A Rather Long Name For A Narrow Screen';
    const product = await createProduct(stack().apiBase, { name, stock: 9 });
    const { orderId, number } = await pendingOrder(product.id);
    await makeDeadLetter({ url: stack().apiBase, dataDir: stack().dataDir }, 'poison-phone-1');
    const page = await signedIn(['admin'], '/admin');

    const visits: Array<[string, string, (page: Page) => Locator]> = [
      ['overview', '/admin', (p) => p.getByRole('link', { name: 'Pending' })],
      ['orders', '/admin/orders', (p) => p.getByRole('link', { name: number })],
      ['order', `/admin/orders/${orderId}`, (p) => p.getByRole('button', { name: 'Start' })],
      ['products', '/admin/products', (p) => p.getByRole('link', { name: name })],
      ['product', `/admin/products/${product.id}`, (p) => p.getByRole('button', { name: 'Save' })],
      ['new product', '/admin/products/new', (p) => p.getByRole('button', { name: /^Create/ })],
      ['dead letters', '/admin/deadletters', (p) => p.getByRole('button', { name: 'Replay message poison-phone-1' })],
      ['audit log', '/admin/audit', (p) => p.getByRole('button', { name: 'Refresh' })],
      ['fill-in job', '/admin/enrichment/no-such-job', (p) => p.getByRole('link', { name: 'Products' })],
      ['not found', '/admin/nowhere', (p) => p.getByRole('link', { name: 'Orders' })],
    ];
    for (const [label, path, control] of visits) {
      await page.goto(`${stack().base}${path}`);
      // The page's main control is there, and a click would land on it (trial: nothing happens).
      await control(page).first().click({ trial: true });
      await expectNoSidewaysScroll(page, label);
      await expectControlsUncovered(page, label);
      await expectNoAxeViolations(page, `${label} at 390 px`);
    }

    // A table on a phone: one card per row, each value beside its column's name.
    await page.goto(`${stack().base}/admin/products`);
    const row = page.getByRole('row').filter({ hasText: name });
    await row.waitFor();
    expect(await row.getByRole('cell').evaluateAll((cells) => cells.map((cell) => getComputedStyle(cell, '::before').content))).toEqual(
      expect.arrayContaining(['"Price"', '"Stock"']),
    );

    const stranger = await signedIn([], '/admin');
    await stranger.getByRole('heading', { name: 'No access' }).waitFor();
    await expectNoSidewaysScroll(stranger, 'no access');
    await expectControlsUncovered(stranger, 'no access');
  });

  it('shows a notice under the header, covering nothing at 390 px, and drops it on leaving the page', async () => {
    await makeDeadLetter({ url: stack().apiBase, dataDir: stack().dataDir }, 'poison-notice-1');
    const page = await signedIn(['admin'], '/admin/deadletters');
    await page.getByRole('button', { name: 'Replay message poison-notice-1' }).click();
    const notice = page.locator('p.notice[role="status"]');
    await notice.getByText('Message poison-notice-1 sent to the queue again.').waitFor();
    await expectControlsUncovered(page, 'dead letters with a notice');
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Orders' }).click();
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    expect(await notice.textContent()).toBe('');
  });

  it('says in plain words that AI help is off, why, and how to turn it on', async () => {
    const capabilities = (await call(stack().apiBase, 'GET', '/api/manage/ai/capabilities', { headers: ADMIN })).body;
    expect(capabilities.description).toMatchObject({ available: false, reason: expect.stringContaining('AZURE_OPENAI_ENDPOINT') });
    const page = await signedIn(['admin'], '/admin');
    const help = page.getByRole('region', { name: 'AI help' });
    await help.getByText('Description drafts').waitFor();
    expect(await help.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringMatching(/^Description drafts\s+Off\s+AI is not configured: set AZURE_OPENAI_ENDPOINT/),
      expect.stringMatching(/^Pictures\s+Off\s+AI is not configured/),
      // Its reason depends on the host (bulk fill-in needs AI, and a host that can run it).
      expect.stringMatching(/^Fill in with AI \(many products at once\)\s+Off\s+\S/),
    ]);
    await help.getByRole('heading', { name: 'How to turn it on' }).waitFor();
    await help.getByText(/On a laptop \(npm start\): start it with AZURE_OPENAI_ENDPOINT/).waitFor();
    await help.getByText(/On Azure: azd up creates Azure OpenAI/).waitFor();
    await expectNoAxeViolations(page, 'overview with AI off');

    await page.goto(`${stack().base}/admin/products`);
    await page.getByText(/Fill in with AI is not available here/).getByRole('link', { name: 'The overview' }).click();
    await page.getByRole('region', { name: 'AI help' }).waitFor();
  });

  it('shows the audit log in words: names linked, money in dollars, statuses by name, times as people read them', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Audit Kettle', priceCents: 1999, stock: 4 });
    const edited = await call(stack().apiBase, 'PUT', `/api/manage/products/${product.id}`, {
      headers: ADMIN,
      body: { name: 'Audit Kettle', description: 'A lamp for tests.', priceCents: 1799, stock: 6, tags: ['test', 'kitchen'], version: product.version },
    });
    expect(edited.status).toBe(200);
    const gone = await createProduct(stack().apiBase, { name: 'Audit Toaster' });
    await call(stack().apiBase, 'DELETE', `/api/manage/products/${gone.id}`, { headers: ADMIN });
    const { orderId, number } = await pendingOrder(product.id);
    const { version } = (await call(stack().apiBase, 'GET', `/api/manage/orders/${orderId}`, { headers: ADMIN })).body;
    await call(stack().apiBase, 'POST', `/api/manage/orders/${orderId}/transitions`, { headers: ADMIN, body: { to: 'processing', version } });

    const page = await signedIn(['admin'], '/admin/audit');
    const rows = page.getByRole('row');
    const edit = rows.filter({ hasText: 'Edited a product' }).filter({ hasText: 'Audit Kettle' });
    await edit.getByText('Price $19.99 → $17.99').waitFor();
    await edit.getByText('Stock 4 → 6').waitFor();
    await edit.getByText('Tags test → test, kitchen').waitFor();
    expect(await edit.getByRole('link', { name: 'Audit Kettle' }).getAttribute('href')).toBe(`/admin/products/${product.id}`);
    expect(await edit.innerText()).not.toMatch(/priceCents|1799|\{/);

    const deleted = rows.filter({ hasText: 'Deleted a product' }).filter({ hasText: 'Audit Toaster' });
    await deleted.getByText('Price $19.99').waitFor();
    const moved = rows.filter({ hasText: 'Moved an order' }).first();
    await moved.getByText('Status Pending → Processing').waitFor();
    expect(await moved.getByRole('link', { name: number }).getAttribute('href')).toBe(`/admin/orders/${orderId}`);
    // The time as the browser's clock reads it, in words, not an ISO stamp.
    expect(await moved.locator('time').innerText()).toMatch(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2}\s?[AP]M$/);
    await expectNoSidewaysScroll(page, 'audit log');
    await expectNoAxeViolations(page, 'audit log in words');
  });
});
