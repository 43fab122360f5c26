import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, expectNoSidewaysScroll, useChromium } from '../support/browser.js';
import { call } from '../support/localHost.js';
import { useStack } from '../support/storeStack.js';

/** "Related products" on a product page, in Chromium through the Static Web Apps CLI, wide and phone-sized. */
describe('related products in Chromium', () => {
  const stack = useStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  const chromium = useChromium();

  for (const width of [1280, 390]) {
    it(`shows in-stock products sharing its tags under a product, each leading to its page (${width} px)`, async () => {
      const related = (await call(stack().apiBase, 'GET', '/api/products/aurora-headphones/related')).body.items as Array<{ id: string; name: string }>;
      expect(related.length).toBeGreaterThan(0);
      const page = await chromium.open({ width, height: 900 });
      await page.goto(`${stack().base}/product/aurora-headphones`);
      const section = page.getByRole('region', { name: 'Related products' });
      await section.getByRole('link', { name: related[0]!.name }).waitFor();
      expect(await section.getByRole('button').count()).toBe(0); // the page's one Add to Cart is the product's
      expect(await section.getByRole('listitem').count()).toBe(related.length);
      await expectNoSidewaysScroll(page, `product page at ${width}`);
      await expectNoAxeViolations(page, `product page with related products at ${width}`);
      await section.getByRole('link', { name: related[0]!.name }).click();
      await page.getByRole('heading', { name: related[0]!.name, level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/product/${related[0]!.id}`);
    });
  }
});
