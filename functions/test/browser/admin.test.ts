import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { expectNoAxeViolations, useChromium } from '../support/browser.js';
import { makeDeadLetter } from '../support/deadLetters.js';
import { TINY_PNG } from '../support/images.js';
import { ADMIN, call, createProduct, eventually } from '../support/localHost.js';
import { serveEmulatorAssets, signInThroughEmulator } from '../support/login.js';
import { useStack } from '../support/storeStack.js';
import { orderFromBefore, orderNeverSent } from '../support/hostStore.js';
import { checkoutFor } from '../support/checkout.js';

const EMPLOYEE = 'robin.employee@bestbuy.example';

/**
 * The employees' admin page in real headless Chromium, against npm start's stack: signed in
 * through the Static Web Apps CLI's login emulator, as a person would. The virtual actors are
 * off, so only the tests move orders and stock.
 */
describe('admin page in Chromium', () => {
  const stack = useStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  const chromium = useChromium();
  const files = mkdtempSync(join(tmpdir(), 'bestbuy-admin-'));
  afterAll(() => rmSync(files, { recursive: true, force: true }));

  let signedIn: Page | undefined;

  /** The employee's page (signed in with role admin on first use), at `path`. */
  async function admin(path: string): Promise<Page> {
    if (!signedIn) {
      signedIn = await chromium.open();
      await signInThroughEmulator(signedIn, stack().base, { userDetails: EMPLOYEE, roles: ['admin'], then: '/admin' });
      await signedIn.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    }
    await signedIn.goto(`${stack().base}${path}`);
    return signedIn;
  }

  /** Each placed order's number, by its id: the board and the detail page show numbers. */
  const numbers = new Map<string, string>();
  const numberOf = (orderId: string) => numbers.get(orderId)!;

  async function placeOrder(productId: string, quantity: number, name: string): Promise<string> {
    const placed = await call(stack().apiBase, 'POST', '/api/orders', { body: { items: [{ productId, quantity }], ...checkoutFor(name) } });
    expect(placed.status).toBe(202);
    const orderId = placed.body.orderId as string;
    numbers.set(orderId, placed.body.number);
    await eventually(async () => (await call(stack().apiBase, 'GET', `/api/orders/${orderId}`)).body.status === 'pending');
    return orderId;
  }

  const apiProduct = async (id: string) => (await call(stack().apiBase, 'GET', `/api/products/${id}`)).body;

  it('sends a signed-out visitor to sign in, from every admin address', async () => {
    const page = await chromium.open();
    await serveEmulatorAssets(page);
    for (const path of ['/admin', '/admin/orders', '/admin/products/aurora-headphones']) {
      await page.goto(`${stack().base}${path}`);
      await page.waitForURL(/\/\.auth\/login\/aad\?post_login_redirect_uri=/);
      expect(decodeURIComponent(page.url())).toContain(`post_login_redirect_uri=${path}`);
      await page.getByRole('button', { name: 'Login' }).waitFor();
    }
  });

  it('shows "No access" to a signed-in user without the admin role, and the API refuses them', async () => {
    const page = await chromium.open();
    await signInThroughEmulator(page, stack().base, { userDetails: 'shopper@example.com', roles: [], then: '/admin/orders' });
    await page.getByRole('heading', { name: 'No access', level: 1 }).waitFor();
    await page.getByText('shopper@example.com', { exact: true }).first().waitFor();
    expect(await page.getByRole('link', { name: 'Sign out' }).first().getAttribute('href')).toMatch(/^\/\.auth\/logout/);
    expect(await page.getByRole('navigation', { name: 'Admin' }).count()).toBe(0);
    await expectNoAxeViolations(page, 'no access');

    // The same browser, cookie and all, calling the employee API directly.
    const attempts: Array<[string, string, object?]> = [
      ['GET', '/api/manage/orders'],
      ['GET', '/api/manage/overview'],
      ['GET', '/api/manage/deadletters'],
      ['GET', '/api/manage/audit'],
      ['POST', '/api/manage/products', { name: 'Sneaky', description: '', priceCents: 1, stock: 1, tags: [] }],
    ];
    for (const [method, path, body] of attempts) {
      const response = await page.request.fetch(`${stack().base}${path}`, { method, data: body, maxRedirects: 0 });
      expect([302, 401, 403], `${method} ${path}`).toContain(response.status());
    }
    // Past the CLI, the API checks the role itself.
    const shopper = { 'x-ms-client-principal': Buffer.from(JSON.stringify({ userId: 's', userDetails: 'shopper@example.com', userRoles: ['authenticated'] })).toString('base64') };
    expect((await call(stack().apiBase, 'GET', '/api/manage/orders', { headers: shopper })).status).toBe(403);
    expect((await call(stack().apiBase, 'GET', '/api/manage/orders')).status).toBe(401);
    expect((await call(stack().apiBase, 'GET', '/api/products?q=sneaky')).body.items).toEqual([]);
  });

  it('the order board lists orders by status with counts and refreshes itself in place; Start then Complete', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Board Test Blender', priceCents: 2500, stock: 10 });
    const first = await placeOrder(product.id, 2, 'Kim Board');
    const page = await admin('/admin/orders?status=pending');
    const polls: number[] = [];
    page.on('response', (response) => {
      if (response.url().includes('/api/manage/orders?')) polls.push(response.status());
    });
    await page.getByRole('link', { name: numberOf(first) }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: /^Pending \d+$/ }).textContent()).toMatch(/Pending 1$/);
    expect(await page.getByRole('link', { name: /^Pending/ }).getAttribute('aria-current')).toBe('page');

    // A new order shows up by itself; the employee's focus stays where it was.
    await page.getByRole('link', { name: numberOf(first) }).focus();
    await expect.poll(() => polls.includes(304), { timeout: 10_000 }).toBe(true);
    const second = await placeOrder(product.id, 1, 'Lee Board');
    await page.getByRole('link', { name: numberOf(second) }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(numberOf(first));
    await expect.poll(() => page.getByRole('link', { name: /^Pending \d+$/ }).textContent()).toMatch(/Pending 2$/);
    const shown = await page.locator('tbody .order-id').allTextContents();
    expect(shown.slice(0, 2)).toEqual([numberOf(second), numberOf(first)]); // newest first

    await page.getByRole('link', { name: numberOf(first) }).click();
    const row = page.getByRole('row').filter({ hasText: 'Board Test Blender' });
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual(['Board Test Blender', '2', '$25.00', '$50.00']);
    await page.getByRole('row', { name: 'Total $50.00' }).waitFor();
    await page.getByRole('heading', { name: `Order ${numberOf(first)}`, level: 1 }).waitFor();
    await page.getByText('Kim Board').first().waitFor();
    // The address the customer gave, for whoever packs it.
    expect(await page.locator('address').innerText()).toBe('Kim Board\n12 Analytical Row\nN1 9GU London\nUnited Kingdom');
    expect(await page.locator('.history li .badge').allTextContents()).toEqual(['Awaiting payment', 'Received', 'Pending']);
    expect(await page.getByRole('group', { name: 'Actions' }).getByRole('button').allTextContents()).toEqual(['Start', 'Cancel order…']);

    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('button', { name: 'Complete' }).waitFor();
    expect(await page.getByRole('button', { name: 'Start' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Complete' }).click();
    await page.getByText('nothing more can happen to it').waitFor();
    expect(await page.locator('.history li .badge').allTextContents()).toEqual(['Awaiting payment', 'Received', 'Pending', 'Processing', 'Completed']);
    expect((await call(stack().apiBase, 'GET', `/api/orders/${first}`)).body.status).toBe('completed');
    await expectNoAxeViolations(page, 'completed order');
  });

  it('a stale action says someone else moved the order first, and shows it as it is now', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Stale Test Kettle', stock: 5 });
    const orderId = await placeOrder(product.id, 1, 'Sam Stale');
    const page = await admin(`/admin/orders/${orderId}`);
    await page.getByRole('button', { name: 'Cancel order…' }).waitFor();
    // The page's refreshes hear "unchanged" until the click, so it still offers Cancel.
    await page.route(`**/api/manage/orders/${orderId}`, (route) =>
      route.request().headers()['if-none-match'] ? route.fulfill({ status: 304 }) : route.continue(),
    );
    const { version } = (await call(stack().apiBase, 'GET', `/api/manage/orders/${orderId}`, { headers: ADMIN })).body;
    expect((await call(stack().apiBase, 'POST', `/api/manage/orders/${orderId}/transitions`, { headers: ADMIN, body: { to: 'processing', version } })).status).toBe(200);

    await page.getByRole('button', { name: 'Cancel order…' }).click();
    await page.getByLabel('Reason for the customer').fill('Out of stock at the warehouse.');
    await page.getByRole('button', { name: 'Cancel the order' }).click();
    await page.getByRole('alert').getByText(/Could not cancel this order: someone else changed it first\. It is now Processing/).waitFor();
    await page.getByRole('button', { name: 'Complete' }).waitFor();
    expect(await page.getByRole('button', { name: 'Cancel order…' }).count()).toBe(0);
    expect((await call(stack().apiBase, 'GET', `/api/orders/${orderId}`)).body.status).toBe('processing');
    await page.unroute(`**/api/manage/orders/${orderId}`);
  });

  it('finds an order by its number, typed in any case and without "BB-"', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Search Test Radio', stock: 5 });
    const wanted = await placeOrder(product.id, 1, 'Nia Number');
    await placeOrder(product.id, 1, 'Otto Other');
    const page = await admin('/admin/orders');
    await page.getByLabel('Find an order by number').fill(numberOf(wanted).slice(3).toLowerCase());
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/\?number=/);
    await expect.poll(() => page.locator('tbody .order-id').allTextContents()).toEqual([numberOf(wanted)]);
    await expectNoAxeViolations(page, 'order search');

    await page.getByLabel('Find an order by number').fill('BB-ZZZZZZ');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByText('No order has the number BB-ZZZZZZ.').waitFor();
    await page.getByRole('link', { name: 'Show all orders' }).click();
    await page.getByRole('link', { name: numberOf(wanted) }).waitFor();
  });

  it('cancels an order after asking for a reason and a second thought; the customer reads the reason', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Cancel Test Heater', stock: 4 });
    const orderId = await placeOrder(product.id, 3, 'Ula Cancel');
    expect((await apiProduct(product.id)).stock).toBe(1);
    const page = await admin(`/admin/orders/${orderId}`);
    await page.getByRole('button', { name: 'Cancel order…' }).click();
    const dialog = page.getByRole('dialog', { name: `Cancel order ${numberOf(orderId)}?` });
    await dialog.waitFor();
    await expectNoAxeViolations(page, 'cancel dialog');
    await dialog.getByRole('button', { name: 'Cancel the order' }).click();
    await dialog.getByText('Say in a few words why').waitFor();
    expect(await dialog.getByLabel('Reason for the customer').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByRole('button', { name: 'Keep the order' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect((await call(stack().apiBase, 'GET', `/api/orders/${orderId}`)).body.status).toBe('pending');

    await page.getByRole('button', { name: 'Cancel order…' }).click();
    await dialog.getByLabel('Reason for the customer').fill('We cannot deliver to this address.');
    await dialog.getByRole('button', { name: 'Cancel the order' }).click();
    await page.getByText('nothing more can happen to it').waitFor();
    expect(await page.locator('.history li .badge').allTextContents()).toEqual(['Awaiting payment', 'Received', 'Pending', 'Cancelled']);
    expect((await apiProduct(product.id)).stock).toBe(4);

    const customer = await chromium.open();
    await customer.goto(`${stack().base}/orders/${orderId}`);
    await customer.getByText('Status: Cancelled — We cannot deliver to this address.').waitFor();
    expect(await customer.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);

    await page.goto(`${stack().base}/admin/audit`);
    await page.getByRole('row').filter({ hasText: 'Cancelled an order' }).filter({ hasText: numberOf(orderId) }).waitFor();
  });

  it('shows an order placed before numbers and addresses under its id, saying it has no address', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Old Times Clock', stock: 5 });
    const orderId = await orderFromBefore(stack().dataDir, product.id);
    const page = await admin(`/admin/orders/${orderId}`);
    await page.getByRole('heading', { name: `Order ${orderId}`, level: 1 }).waitFor();
    await page.getByText('No address: placed before the store asked for one.').waitFor();
    await page.getByText('Early Bird').waitFor();
  });

  it('edits a price in dollars that the storefront then shows; the server’s rules show beside the fields; a conflict is explained', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Price Test Lamp', priceCents: 1999, stock: 7 });
    const page = await admin('/admin/products');
    await page.getByLabel('Search products').fill('Price Test Lamp');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Price Test Lamp' }).click();
    await page.getByRole('heading', { name: 'Edit Price Test Lamp' }).waitFor();
    expect(await page.getByLabel('Price').inputValue()).toBe('19.99');
    expect(await page.getByLabel('Stock').inputValue()).toBe('7');

    // What would be refused is told in words beside the field it is about, every field at once.
    await page.getByLabel('Name').fill('   ');
    await page.getByLabel('Tags').fill(`lamps, ${'x'.repeat(40)}`);
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').getByText('Some fields need a change').waitFor();
    const name = page.getByLabel('Name');
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#name-error').textContent()).toBe('Type the product’s name.');
    expect(await page.locator('#tags-error').textContent()).toMatch(/^Shorten each tag to 32 characters/);
    expect(await name.evaluate((element) => element === document.activeElement)).toBe(true);
    await expectNoAxeViolations(page, 'product with errors');
    await page.getByLabel('Price').fill('12.345');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.locator('#price-error').getByText('Type the price in dollars').waitFor();

    await page.getByLabel('Name').fill('Price Test Lamp');
    await page.getByLabel('Tags').fill('lamps, test');
    await page.getByLabel('Price').fill('24.50');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText('Saved Price Test Lamp: $24.50, 7 in stock.').waitFor();
    expect(await apiProduct(product.id)).toMatchObject({ priceCents: 2450, tags: ['lamps', 'test'] });

    const shop = await chromium.open();
    await shop.goto(`${stack().base}/product/${product.id}`);
    await shop.getByRole('heading', { name: 'Price Test Lamp', level: 1 }).waitFor();
    await shop.getByText('$24.50').waitFor();

    // Someone else (or an order's stock reservation) changes it meanwhile: the save is refused, with why.
    const current = await apiProduct(product.id);
    const { id: _id, version, createdAt: _added, updatedAt: _at, maxPerOrder: _cap, ...draft } = current;
    await call(stack().apiBase, 'PUT', `/api/manage/products/${product.id}`, { headers: ADMIN, body: { ...draft, stock: 3, version } });
    await page.getByLabel('Price').fill('29.00');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('alert').getByText(/Someone else changed this product while you were editing it/).waitFor();
    expect((await apiProduct(product.id)).priceCents).toBe(2450);
    await page.getByRole('button', { name: 'Load the latest version' }).click();
    await expect.poll(() => page.getByLabel('Stock').inputValue()).toBe('3');
    expect(await page.getByLabel('Price').inputValue()).toBe('24.50');
  });

  it('creates a product and deletes it', async () => {
    const page = await admin('/admin/products');
    await page.getByRole('link', { name: 'New product' }).click();
    await page.getByRole('heading', { name: 'New product', level: 1 }).waitFor();
    await page.getByLabel('Name').fill('Created Desk Fan');
    await page.getByLabel('Description').fill('A quiet fan for a desk.');
    await page.getByLabel('Price').fill('$1,049.5');
    await page.getByLabel('Stock').fill('12');
    await page.getByLabel('Tags').fill('Home, fans');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('heading', { name: 'Edit Created Desk Fan' }).waitFor();
    const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
    expect(await apiProduct(id)).toMatchObject({ name: 'Created Desk Fan', priceCents: 104950, stock: 12, tags: ['home', 'fans'] });

    await page.getByRole('button', { name: 'Delete product' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    await page.getByRole('status').getByText('Deleted Created Desk Fan.').waitFor();
    expect((await call(stack().apiBase, 'GET', `/api/products/${id}`)).status).toBe(404);
  });

  it('uploads a picture, checked by its content, that the storefront then shows for the product', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Picture Test Radio', stock: 4 });
    const fake = join(files, 'not-really.png');
    writeFileSync(fake, 'just words, named like a picture');
    const real = join(files, 'radio.png');
    writeFileSync(real, TINY_PNG);

    const page = await admin(`/admin/products/${product.id}`);
    await page.getByRole('heading', { name: 'Edit Picture Test Radio' }).waitFor();
    await page.getByLabel('Picture').setInputFiles(fake);
    await page.locator('#image-error').getByText('That file is not a PNG or JPEG picture.').waitFor();

    await page.getByLabel('Picture').setInputFiles(real);
    const preview = page.getByRole('img', { name: 'Picture Test Radio as shown in the store' });
    await expect.poll(() => preview.getAttribute('src')).toMatch(/^\/api\/images\/[\w-]+$/);
    expect(await page.locator('#image-error').count()).toBe(0);
    const url = (await preview.getAttribute('src'))!;
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText(/^Saved Picture Test Radio/).waitFor();
    expect((await apiProduct(product.id)).imageUrl).toBe(url);

    const shop = await chromium.open();
    await shop.goto(`${stack().base}/product/${product.id}`);
    const shown = shop.getByRole('img', { name: 'Picture Test Radio' });
    await shown.waitFor();
    expect(await shown.getAttribute('src')).toBe(url);
    await expect.poll(() => shown.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth)).toBe(1);
  });

  it('offers no AI help when the store has none set up (adminAi.test.ts covers it set up)', async () => {
    const product = await createProduct(stack().apiBase, { name: 'AI Test Speaker', tags: ['audio'], stock: 2 });
    const page = await admin(`/admin/products/${product.id}`);
    await page.getByLabel('Price').waitFor();
    expect(await page.getByRole('button', { name: /with AI/ }).count()).toBe(0);
  });

  it('lists dead letters with reason, deliveries and time; Replay sends one again, Discard removes one', async () => {
    const host = { url: stack().apiBase, dataDir: stack().dataDir };
    const [replayed, discarded] = await Promise.all([makeDeadLetter(host, 'poison-replay-1'), makeDeadLetter(host, 'poison-discard-1')]);
    const page = await admin('/admin/deadletters');
    const row = page.getByRole('row').filter({ hasText: 'poison-replay-1' });
    await row.waitFor();
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('10');
    await row.getByText(`#${replayed}`).waitFor();
    await row.locator('time').first().waitFor();
    await row.getByRole('button', { name: 'Replay message poison-replay-1' }).click();
    await page.getByRole('status').getByText('Message poison-replay-1 sent to the queue again.').waitFor();
    await expect.poll(() => page.getByText(`#${replayed}`, { exact: true }).count()).toBe(0);

    await page.getByRole('button', { name: 'Discard message poison-discard-1' }).click();
    await page.getByRole('status').getByText('Message poison-discard-1 discarded.').waitFor();
    await expect.poll(() => page.getByText(`#${discarded}`, { exact: true }).count()).toBe(0);
    const left = (await call(stack().apiBase, 'GET', '/api/manage/deadletters?limit=100', { headers: ADMIN })).body.items;
    expect(left.map((letter: { sequenceNumber: string }) => letter.sequenceNumber)).not.toContain(discarded);
  });

  it('the audit log shows every action with who did it, when, and what changed', async () => {
    const page = await admin('/admin/audit');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const rows = page.getByRole('row').filter({ hasText: EMPLOYEE });
    await rows.first().waitFor();
    for (const what of ['Moved an order', 'Edited a product', 'Created a product', 'Deleted a product', 'Uploaded a picture', 'Replayed a dead letter', 'Discarded a dead letter']) {
      await rows.filter({ hasText: what }).first().waitFor();
    }
    await rows.filter({ hasText: 'Price $19.99 → $24.50' }).waitFor();
    await rows.filter({ hasText: 'Status Pending → Processing' }).first().waitFor();
    await expectNoAxeViolations(page, 'audit log');
  });

  // After the audit log's test: discarding these letters at the end writes audit entries of its own.
  it('pages through the dead letters 20 at a time, oldest first, and back', async () => {
    const host = { url: stack().apiBase, dataDir: stack().dataDir };
    const names = Array.from({ length: 21 }, (_, index) => `poison-page-${index + 1}`);
    const made = await Promise.all(names.map((name) => makeDeadLetter(host, name)));
    try {
      const page = await admin('/admin/deadletters');
      const shown = () => page.locator('table.letters tbody th .order-id').allTextContents();
      await expect.poll(async () => (await shown()).length).toBe(20);
      const pages = [await shown()];
      const later = page.getByRole('button', { name: 'Later letters' });
      while (await later.isEnabled()) {
        const before = pages.at(-1)![0];
        await later.click();
        await expect.poll(async () => (await shown())[0]).not.toBe(before);
        pages.push(await shown());
      }
      expect(pages.length).toBeGreaterThanOrEqual(2);
      expect(pages.every((ids) => ids.length <= 20)).toBe(true);
      const seen = pages.flat();
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => names.includes(id))).toEqual(names);
      await page.getByRole('button', { name: 'Earlier letters' }).click();
      await expect.poll(shown).toEqual(pages.at(-2));
    } finally {
      for (const sequenceNumber of made) await call(stack().apiBase, 'DELETE', `/api/manage/deadletters/${sequenceNumber}`, { headers: ADMIN });
    }
  });

  it('the overview shows orders per minute as a chart with words, orders by status, the queue and health', async () => {
    const page = await admin('/admin');
    const chart = page.getByRole('img', { name: /\d+ orders? in the last hour/ });
    await chart.waitFor();
    expect(await page.locator('.chart rect').count()).toBeGreaterThan(0);
    await page.getByText('Orders per minute as a table').click();
    expect(await page.locator('.chart-table tbody tr').count()).toBe(60);
    const completed = page.locator('.counts div').filter({ has: page.getByRole('link', { name: 'Completed' }) });
    expect(Number(await completed.locator('dd').textContent())).toBeGreaterThanOrEqual(1);
    await page.getByText('Healthy').waitFor();
    await page.getByText('Waiting messages').waitFor();
    // npm start's mail catcher receives the store's emails.
    const mail = page.locator('.checks li').filter({ hasText: 'Order emails (SMTP)' });
    expect(await mail.locator('strong').textContent()).toBe('OK');
    await expectNoAxeViolations(page, 'overview');
  });

  it('an order stuck in Received: the overview counts it, and its page sends it to the makeline again', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Stuck Order Lamp', stock: 5 });
    const orderId = await orderNeverSent(stack(), product.id, 3600); // its send failed an hour ago
    const page = await admin('/admin');
    await page.getByText(/Stuck in Received since before .*: 1\./).waitFor();
    await page.getByRole('link', { name: 'the received orders' }).waitFor();

    await page.goto(`${stack().base}/admin/orders/${orderId}`);
    await page.getByRole('button', { name: 'Send to the makeline again' }).click();
    const { number } = (await call(stack().apiBase, 'GET', `/api/orders/${orderId}`)).body;
    await page.getByText(`Order ${number} sent to the makeline again.`).waitFor();
    await page.getByRole('button', { name: 'Start' }).waitFor({ timeout: 10_000 }); // Pending: the makeline took it
    await expectNoAxeViolations(page, 'order sent again');
  });

  it('the overview lists a product running low, and one click restocks it', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Low Shelf Lamp', stock: 1 });
    const page = await admin('/admin');
    const lowStock = page.getByRole('region', { name: 'Low stock' });
    await lowStock.getByRole('link', { name: 'Low Shelf Lamp' }).waitFor();
    expect(await lowStock.getByRole('link', { name: 'Low Shelf Lamp' }).getAttribute('href')).toBe(`/admin/products/${product.id}`);
    await lowStock.getByText('1 left').waitFor();
    await expectNoAxeViolations(page, 'overview with low stock');
    await lowStock.getByRole('button', { name: 'Restock +20 Low Shelf Lamp' }).click();
    await page.getByRole('status').getByText('Restocked Low Shelf Lamp: 21 in stock.').waitFor();
    await lowStock.getByRole('link', { name: 'Low Shelf Lamp' }).waitFor({ state: 'detached' });
    expect((await apiProduct(product.id)).stock).toBe(21);
  });

  it('has zero axe-core violations on every admin page, on a desktop and a phone', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Axe Admin Toaster', stock: 3 });
    const orderId = await placeOrder(product.id, 1, 'Axe Shopper');
    await makeDeadLetter({ url: stack().apiBase, dataDir: stack().dataDir }, 'poison-axe-1');
    const page = await admin('/admin');
    const visits: Array<[string, string, (page: Page) => Promise<unknown>]> = [
      ['overview', '/admin', (p) => p.getByRole('img', { name: /in the last hour/ }).waitFor()],
      ['orders', '/admin/orders', (p) => p.getByRole('link', { name: numberOf(orderId) }).waitFor()],
      ['order', `/admin/orders/${orderId}`, (p) => p.getByRole('button', { name: 'Start' }).waitFor()],
      ['products', '/admin/products', (p) => p.getByRole('link', { name: 'Axe Admin Toaster' }).waitFor()],
      ['product', `/admin/products/${product.id}`, (p) => p.getByLabel('Price').waitFor()],
      ['new product', '/admin/products/new', (p) => p.getByLabel('Name').waitFor()],
      ['dead letters', '/admin/deadletters', (p) => p.getByRole('button', { name: 'Replay message poison-axe-1' }).waitFor()],
      ['audit log', '/admin/audit', (p) => p.getByRole('row').nth(1).waitFor()],
      ['not found', '/admin/nowhere', (p) => p.getByRole('heading', { name: 'Page not found' }).waitFor()],
    ];
    for (const viewport of [{ width: 1200, height: 900 }, { width: 375, height: 740 }]) {
      await page.setViewportSize(viewport);
      for (const [label, path, ready] of visits) {
        await page.goto(`${stack().base}${path}`);
        await ready(page);
        await expectNoAxeViolations(page, `${label} at ${viewport.width}px`);
      }
    }
  });

  it('works by keyboard: the skip link, the navigation, and a visible focus', async () => {
    const page = await admin('/admin');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    const orders = page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Orders' });
    for (let presses = 0; presses < 10 && !(await orders.evaluate((element) => element === document.activeElement)); presses++) {
      await page.keyboard.press('Tab');
    }
    expect(await orders.evaluate((element) => getComputedStyle(element).outlineStyle)).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/admin/orders');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
  });
});
