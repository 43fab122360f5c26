import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { gzipBytes } from '../../../bench/storefrontSize.js';
import { expectNoAxeViolations, useChromium } from '../support/browser.js';
import { ADMIN, call, createProduct } from '../support/localHost.js';
import { signInThroughEmulator } from '../support/login.js';
import { CHECKOUT, fillCheckout, UNPAID } from '../support/checkout.js';
import { useStack } from '../support/storeStack.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const VIEWPORTS = [DESKTOP, PHONE] as const;
const KB = 1024;

/** Who a principal header or the emulator says is signed in, as the API reads it. */
const principal = (userId: string, userDetails: string, provider = 'github') =>
  Buffer.from(JSON.stringify({ identityProvider: provider, userId, userDetails, userRoles: ['anonymous', 'authenticated'] })).toString('base64');

/**
 * Issue #26: pages that do not move as they fill in, that load only what they show, and the
 * finish shoppers and employees expect, in real Chromium at a desktop's and a phone's width.
 */
describe('pages in Chromium: first load, layout shift and finish', () => {
  const stack = useStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  const chromium = useChromium();

  async function open(path: string, viewport: { width: number; height: number } = DESKTOP): Promise<Page> {
    const page = await chromium.open(viewport);
    await page.goto(`${stack().base}${path}`);
    return page;
  }

  /**
   * The layout shifts the page has had since it began to load, summed as Lighthouse's CLS sums one
   * window, and what moved (for the failure message).
   */
  async function layoutShift(page: Page): Promise<{ total: number; moved: string }> {
    await page.waitForTimeout(400); // anything still filling in has landed
    return page.evaluate(
      () =>
        new Promise<{ total: number; moved: string }>((resolve) => {
          let total = 0;
          const moved: string[] = [];
          type Shift = PerformanceEntry & { value: number; hadRecentInput: boolean; sources: Array<{ node?: Node; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }> };
          new PerformanceObserver((list) => {
            for (const entry of list.getEntries() as Shift[]) {
              if (entry.hadRecentInput) continue;
              total += entry.value;
              for (const { node, previousRect: was, currentRect: now } of entry.sources) {
                moved.push(`${(node as Element | undefined)?.outerHTML?.slice(0, 60) ?? node?.nodeName}: ${was.y}→${now.y}`);
              }
            }
          }).observe({ type: 'layout-shift', buffered: true });
          setTimeout(() => resolve({ total, moved: moved.join(' | ') }), 100);
        }),
    );
  }

  async function expectNoShift(page: Page, label: string): Promise<void> {
    const { total, moved } = await layoutShift(page);
    expect(total, `${label}: ${moved}`).toBeLessThanOrEqual(0.02);
  }

  async function signedInAdmin(path: string, viewport: { width: number; height: number } = DESKTOP): Promise<Page> {
    const page = await chromium.open(viewport);
    await signInThroughEmulator(page, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: '/admin' });
    await page.goto(`${stack().base}${path}`);
    return page;
  }

  it('the catalog: within 15 KB gzip of scripts as Chromium fetches them, its first row of pictures at once', async () => {
    const page = await chromium.open(DESKTOP);
    const scripts = new Set<string>();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.add(new URL(response.url()).pathname);
    });
    await page.goto(`${stack().base}/`);
    await page.locator('.grid .card').nth(4).waitFor();
    await page.waitForLoadState('networkidle');
    const bytes = gzipBytes('web/dist', [...scripts]);
    console.info(`catalog first load: ${[...scripts].join(', ')}: ${(bytes / KB).toFixed(2)} KB gzip`);
    expect(bytes).toBeLessThanOrEqual(15 * KB);

    const pictures = await page.locator('.grid img').evaluateAll((images) => images.map((image) => [image.getAttribute('loading'), image.getAttribute('fetchpriority')]));
    expect(pictures.slice(0, 4)).toEqual(Array(4).fill(['eager', 'high']));
    expect(pictures[4]).toEqual(['lazy', null]);
  });

  it('the catalog, a cart with items and the admin overview do not shift as they fill in, at 1280 and 390 px', async () => {
    const cheap = await createProduct(stack().apiBase, { name: 'Shift Test Cable', priceCents: 500, stock: 9 });
    const dear = await createProduct(stack().apiBase, { name: 'Shift Test Television', priceCents: 123456, stock: 9 });
    for (const viewport of VIEWPORTS) {
      const catalog = await open('/', viewport);
      await catalog.locator('.grid .card').first().waitFor();
      await expectNoShift(catalog, `catalog at ${viewport.width} px`);
      await expectNoAxeViolations(catalog, `catalog at ${viewport.width} px`);

      await catalog.evaluate((lines) => localStorage.setItem('bestbuy.cart', JSON.stringify(lines)), [{ productId: cheap.id, quantity: 1 }, { productId: dear.id, quantity: 2 }]);
      await catalog.goto(`${stack().base}/cart`);
      await catalog.getByText('$1,234.56 each').waitFor();
      await expectNoShift(catalog, `cart at ${viewport.width} px`);
      await expectNoAxeViolations(catalog, `cart at ${viewport.width} px`);
      if (viewport === DESKTOP) {
        // Each line's quantity box sits where the others' do, whatever the prices' widths.
        const lefts = await catalog.locator('.line .qty input').evaluateAll((inputs) => inputs.map((input) => Math.round(input.getBoundingClientRect().left)));
        expect(new Set(lefts).size).toBe(1);
      }

      const overview = await signedInAdmin('/admin', viewport);
      await overview.getByRole('heading', { name: 'Orders by status' }).waitFor();
      await overview.getByRole('heading', { name: 'AI help' }).waitFor();
      await overview.getByText(/Checking AI help/).waitFor({ state: 'detached' });
      await expectNoShift(overview, `admin overview at ${viewport.width} px`);
      await expectNoAxeViolations(overview, `admin overview at ${viewport.width} px`);
    }
  });

  it('an unpaid order’s page does not shift when who is signed in and the test cards arrive after the order, at 1280 and 390 px', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Shift Test Lamp', stock: 5 });
    const placed = await call(stack().apiBase, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...UNPAID } });
    expect(placed.status).toBe(202);
    for (const viewport of VIEWPORTS) {
      const page = await chromium.open(viewport);
      // Both answer after the order does, as on a slow connection.
      for (const path of ['**/.auth/me', '**/api/payments/setup']) {
        await page.route(path, async (route) => {
          await new Promise((resolve) => setTimeout(resolve, 400));
          await route.continue();
        });
      }
      await page.goto(`${stack().base}/orders/${placed.body.orderId}`);
      await page.getByRole('button', { name: 'Use card 4242 4242 4242 4242' }).waitFor();
      await page.getByRole('button', { name: /Cancel/ }).first().waitFor();
      await expectNoShift(page, `unpaid order at ${viewport.width} px`);
    }
  });

  it('the admin page loads each page’s code on its first visit, and asks not to be indexed; robots.txt is plain text', async () => {
    const page = await chromium.open(DESKTOP);
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(new URL(response.url()).pathname);
    });
    await signInThroughEmulator(page, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: '/admin' });
    await page.getByRole('heading', { name: 'Orders by status' }).waitFor();
    expect(scripts.some((path) => /\/Overview-[\w-]+\.js$/.test(path))).toBe(true);
    expect(scripts.filter((path) => /\/(ProductEdit|Products|OrderDetail|Orders|Audit|DeadLetters)-[\w-]+\.js$/.test(path))).toEqual([]);
    await page.getByRole('link', { name: 'Products', exact: true }).click();
    await page.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    expect(scripts.some((path) => /\/Products-[\w-]+\.js$/.test(path))).toBe(true);
    expect(await page.locator('meta[name="robots"]').getAttribute('content')).toBe('noindex');
    const adminHtml = await page.request.get(`${stack().base}/admin`);
    expect(adminHtml.headers()['x-robots-tag']).toBe('noindex');

    const robots = await fetch(`${stack().base}/robots.txt`);
    expect(robots.status).toBe(200);
    expect(robots.headers.get('content-type')).toMatch(/^text\/plain/);
    const rules = await robots.text();
    expect(rules).toMatch(/^User-agent: \*$/m);
    expect(rules).toMatch(/^Disallow: \/admin$/m);
    expect(rules).toMatch(/^Disallow: \/api\/$/m);
  });

  it('the cart explains a quantity of 0 and a product sold out meanwhile, at 1280 and 390 px', async () => {
    for (const viewport of VIEWPORTS) {
      const product = await createProduct(stack().apiBase, { name: `Last Lamp ${viewport.width}`, stock: 1 });
      const page = await open(`/product/${product.id}`, viewport);
      await page.getByRole('button', { name: 'Add to Cart' }).click();
      await page.goto(`${stack().base}/cart`);
      await page.getByText('$19.99 each').waitFor();
      const quantity = page.getByLabel(`Quantity of Last Lamp ${viewport.width}`);
      await quantity.fill('0');
      await quantity.press('Tab');
      await page.getByRole('alert').getByText('To take it out of your cart, use Remove; the quantity stays 1.').waitFor();
      expect(await quantity.inputValue()).toBe('1');
      await expectNoAxeViolations(page, `cart with a refused quantity at ${viewport.width} px`);

      const { id: _id, version, createdAt: _added, updatedAt: _at, ...rest } = (await call(stack().apiBase, 'GET', `/api/manage/products/${product.id}`, { headers: ADMIN })).body;
      await call(stack().apiBase, 'PUT', `/api/manage/products/${product.id}`, { headers: ADMIN, body: { ...rest, stock: 0, version } });
      await fillCheckout(page);
      await page.getByRole('button', { name: 'Checkout', exact: true }).click();
      await page.getByRole('alert').getByText(`Not enough stock for Last Lamp ${viewport.width} (sold out).`, { exact: false }).waitFor();
    }
  });

  it('another account’s order shows no Cancel button; the header keeps its words whole at 390 px signed in', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Owned Lamp', stock: 5 });
    const placed = await call(stack().apiBase, 'POST', '/api/orders', {
      headers: { 'x-ms-client-principal': principal('ada-1', 'ada.owner') },
      body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT },
    });
    expect(placed.status).toBe(202);
    for (const viewport of VIEWPORTS) {
      const page = await open(`/orders/${placed.body.orderId}`, viewport);
      await page.getByText('Placed by another account: sign in as ada.owner to cancel it.').waitFor();
      expect(await page.getByRole('button', { name: /Cancel/ }).count()).toBe(0);
      await expectNoAxeViolations(page, `another account's order at ${viewport.width} px`);
    }

    const phone = await chromium.open(PHONE);
    await signInThroughEmulator(phone, stack().base, { userDetails: 'kim.long.name@example.com', roles: [], then: '/orders' });
    await phone.getByRole('link', { name: 'kim.long.name@example.com' }).waitFor();
    // The header is drawn before the lazily loaded page; axe must see the page too.
    await phone.getByRole('heading', { level: 1, name: 'My orders' }).waitFor();
    const brokenItems = await phone.locator('nav li:not([hidden]) a').evaluateAll((links) => links.filter((link) => link.getClientRects().length > 1).map((link) => link.textContent));
    expect(brokenItems).toEqual([]);
    await expectNoAxeViolations(phone, 'My orders, signed in, at 390 px');
  });

  it('a guest order offered to the account after signing in is not followed by "You have no orders yet"; the audit log says the claim in words', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Claimed Lamp', stock: 5 });
    const page = await open(`/product/${product.id}`, PHONE);
    await page.getByRole('button', { name: 'Add to Cart' }).click();
    await page.goto(`${stack().base}/cart`);
    await page.getByText('$19.99 each').waitFor();
    await fillCheckout(page);
    await page.getByRole('button', { name: 'Checkout', exact: true }).click();
    await page.waitForURL(/\/orders\/[A-Za-z0-9_-]+$/);
    await signInThroughEmulator(page, stack().base, { userDetails: 'claire.claimer', userId: 'claire-1', roles: [], then: '/orders' });
    await page.getByRole('button', { name: 'Add to my account' }).waitFor();
    await page.getByText(/Loading your orders/).waitFor({ state: 'detached' });
    await page.waitForLoadState('networkidle');
    expect(await page.getByText('You have no orders yet.').count()).toBe(0);
    await expectNoAxeViolations(page, 'claim offer at 390 px');
    await page.getByRole('button', { name: 'Add to my account' }).click();
    await page.getByText('Added 1 order to your account.').first().waitFor();

    for (const viewport of VIEWPORTS) {
      const audit = await signedInAdmin('/admin/audit', viewport);
      await audit.getByText('Owner Guest → claire.claimer (Microsoft)').first().waitFor();
      expect(await audit.getByText(/identityProvider/).count()).toBe(0);
      await expectNoAxeViolations(audit, `audit log at ${viewport.width} px`);
    }
  });

  it('the order board says what is wrong with a bad number; the product form names every bad field in words at once', async () => {
    for (const viewport of VIEWPORTS) {
      const board = await signedInAdmin('/admin/orders?number=zz-1', viewport);
      await board.getByRole('alert').getByText('“zz-1” is not an order number: order numbers are 6 letters and digits, like BB-7K3Q9P').waitFor();
      expect(await board.getByText('The request query is not valid.').count()).toBe(0);
      await expectNoAxeViolations(board, `order board with a bad number at ${viewport.width} px`);

      await board.goto(`${stack().base}/admin/products/new`);
      await board.getByLabel('Price').fill('a lot');
      await board.getByLabel('Stock').fill('');
      await board.getByLabel('Tags').fill(`lamps, ${'x'.repeat(40)}`);
      await board.getByRole('button', { name: /Create/ }).click();
      await board.getByRole('alert').getByText('Some fields need a change').waitFor();
      expect(await board.locator('#name-error').textContent()).toBe('Type the product’s name.');
      expect(await board.locator('#price-error').textContent()).toBe('Type the price in dollars, for example 19.99.');
      expect(await board.locator('#stock-error').textContent()).toBe('Type how many are in stock, a whole number (0 or more).');
      expect(await board.locator('#tags-error').textContent()).toMatch(/^Shorten each tag to 32 characters: x+\.$/);
      expect(await board.getByLabel('Name').evaluate((element) => element === document.activeElement)).toBe(true);
      await expectNoAxeViolations(board, `product form with errors at ${viewport.width} px`);
    }
  });
});
