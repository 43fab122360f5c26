import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectControlsUncovered, expectNoAxeViolations, useChromium } from '../support/browser.js';
import { call } from '../support/localHost.js';
import { useStack } from '../support/storeStack.js';

const PHONE = { width: 390, height: 844 };

/** Search, the count of what it found, and the notices, on the seeded catalog of 16 products. */
describe('storefront search and notices in Chromium', () => {
  const stack = useStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  const chromium = useChromium();

  it('says how many of all the products it shows, and finds words that only descriptions hold', async () => {
    const page = await chromium.open();
    await page.goto(`${stack().base}/`);
    await page.getByText('Showing 12 of 16 products.').waitFor();
    await page.getByRole('button', { name: 'Load more products' }).click();
    await page.getByText('Showing all 16 products.').waitFor();

    // "fold-flat" is in the Aurora headphones' description only, not in any name or tag.
    await page.getByRole('searchbox', { name: 'Search' }).fill('FOLD-FLAT');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('Showing the one product for “FOLD-FLAT”.').waitFor();
    expect(await page.getByRole('article').allTextContents()).toEqual([expect.stringContaining('Aurora Wireless Headphones')]);

    const travel = (await call(stack().apiBase, 'GET', '/api/products?q=travel')).body as { total: number; items: unknown[] };
    expect(travel.total).toBeGreaterThan(1);
    await page.goto(`${stack().base}/?q=travel`);
    await page.getByText(`Showing all ${travel.total} products for “travel”.`).waitFor();
    await expectNoAxeViolations(page, 'catalog searched by description');
  });

  for (const viewport of [{ width: 1280, height: 800 }, PHONE]) {
    it(`sorts by price either way and newest first, kept in the address with the search and tag, at ${viewport.width} px`, async () => {
      const namesIn = async (query: string) =>
        ((await call(stack().apiBase, 'GET', `/api/products?${query}&limit=12`)).body as { items: Array<{ name: string }> }).items.map((product) => product.name);
      const shown = async (page: Page) => (await page.getByRole('article').getByRole('heading').allTextContents()).map((name) => name.trim());
      const page = await chromium.open(viewport);
      await page.goto(`${stack().base}/`);
      await page.getByText('Showing 12 of 16 products.').waitFor();
      const sortBy = page.getByRole('combobox', { name: 'Sort by' });
      expect(await sortBy.inputValue()).toBe('name');

      await sortBy.selectOption({ label: 'Price, high to low' });
      await page.waitForURL(/\/\?sort=price_desc$/);
      await expect.poll(() => shown(page)).toEqual(await namesIn('sort=price_desc'));
      const prices = await page.locator('.card .price').allTextContents();
      const cents = prices.map((price) => Number(price.replace(/[^0-9]/g, '')));
      expect(cents).toEqual([...cents].sort((a, b) => b - a));

      // A search keeps the order, a tag keeps both, and the address brings all three back.
      await page.getByRole('searchbox', { name: 'Search' }).fill('travel');
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      await page.waitForURL(/\/\?q=travel&sort=price_desc$/);
      await expect.poll(() => shown(page)).toEqual(await namesIn('q=travel&sort=price_desc'));
      await sortBy.selectOption({ label: 'Price, low to high' });
      await page.waitForURL(/\/\?q=travel&sort=price_asc$/);
      await expect.poll(() => shown(page)).toEqual(await namesIn('q=travel&sort=price_asc'));
      const tag = (await call(stack().apiBase, 'GET', '/api/products?q=travel')).body.items[0].tags[0] as string;
      await page.getByRole('combobox', { name: 'Tag' }).selectOption(tag);
      await page.waitForURL(new RegExp(`\\?q=travel&tag=${tag}&sort=price_asc$`));
      await expect.poll(() => shown(page)).toEqual(await namesIn(`q=travel&tag=${tag}&sort=price_asc`));
      await page.reload();
      await expect.poll(() => shown(page)).toEqual(await namesIn(`q=travel&tag=${tag}&sort=price_asc`));
      expect(await sortBy.inputValue()).toBe('price_asc');
      await expectNoAxeViolations(page, `catalog sorted at ${viewport.width} px`);

      await page.goto(`${stack().base}/?sort=newest`);
      await expect.poll(() => shown(page)).toEqual(await namesIn('sort=newest'));
      expect(await sortBy.inputValue()).toBe('newest');
      await sortBy.selectOption({ label: 'Name' });
      await page.waitForURL(/\/$/);
      await expect.poll(() => shown(page)).toEqual(await namesIn('sort=name'));
      await expectNoAxeViolations(page, `catalog by name at ${viewport.width} px`);
    });
  }

  it('shows a notice in the page, where it covers no control at 390 px, and drops it on navigation', async () => {
    const page = await chromium.open(PHONE);
    await page.goto(`${stack().base}/product/aurora-headphones`);
    await page.getByRole('button', { name: 'Add to Cart' }).click();
    // The live region itself, there (hidden) even while it has nothing to say.
    const notice = page.locator('p.notice[role="status"]');
    await notice.getByText(/^Added 1 × Aurora Wireless Headphones to your cart\.$/).waitFor();
    await expectControlsUncovered(page, 'product page with a notice');
    await expectNoAxeViolations(page, 'product page with a notice');

    await page.getByRole('link', { name: 'Products', exact: true }).click();
    await page.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    expect(await notice.textContent()).toBe('');
    expect(await notice.isVisible()).toBe(false);

    // A card's notice on the catalog, scrolled down to the last card shown: still nothing covered.
    await page.getByRole('article').last().getByRole('button', { name: 'Add to Cart' }).click();
    await notice.getByText(/^Added .* to your cart\.$/).waitFor();
    await expectControlsUncovered(page, 'catalog with a notice');
    await page.getByRole('link', { name: /^Cart/ }).click();
    await page.getByRole('heading', { name: /cart/i, level: 1 }).waitFor();
    expect(await notice.textContent()).toBe('');
  });
});
