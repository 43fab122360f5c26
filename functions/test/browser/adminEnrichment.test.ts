import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, useChromium } from '../support/browser.js';
import { writeDraft } from '../support/hostStore.js';
import { call, createProduct } from '../support/localHost.js';
import { signInThroughEmulator } from '../support/login.js';
import { useStack } from '../support/storeStack.js';

/** Bulk enrichment and draft review in the admin page, on the local host (no Durable Task engine there). */
describe('AI drafts on the admin page', () => {
  const stack = useStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  const chromium = useChromium();

  it('says why "Fill in with AI" is not offered on the local host', async () => {
    const page = await chromium.open();
    await signInThroughEmulator(page, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: '/admin/products' });
    await page.getByText(/Fill in with AI is not available here: Bulk enrichment runs only under the Azure Functions host/).waitFor();
    expect(await page.getByRole('button', { name: 'Fill in with AI' }).count()).toBe(0);
  });

  it('accepts one draft and discards another on the product form', async () => {
    const kept = await createProduct(stack().apiBase, { name: 'Drafted Lantern', stock: 2 });
    const dropped = await createProduct(stack().apiBase, { name: 'Dropped Lantern', stock: 2 });
    await writeDraft(stack().dataDir, kept.id, { description: 'A lantern that glows warm all evening.' });
    await writeDraft(stack().dataDir, dropped.id, { description: 'Words nobody wants.' });

    const page = await chromium.open();
    await signInThroughEmulator(page, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: `/admin/products/${kept.id}` });
    await page.getByRole('heading', { name: 'AI draft to review' }).waitFor();
    await expectNoAxeViolations(page, 'product form with an AI draft');
    await page.getByRole('button', { name: 'Accept draft' }).click();
    await page.getByRole('status').getByText('Accepted the AI draft for Drafted Lantern.').waitFor();
    await expect.poll(() => page.getByLabel('Description').inputValue()).toBe('A lantern that glows warm all evening.');
    expect((await call(stack().apiBase, 'GET', `/api/products/${kept.id}`)).body.description).toBe('A lantern that glows warm all evening.');

    await page.goto(`${stack().base}/admin/products/${dropped.id}`);
    await page.getByRole('button', { name: 'Discard draft' }).click();
    await page.getByRole('status').getByText('Discarded the AI draft.').waitFor();
    expect(await page.getByRole('heading', { name: 'AI draft to review' }).count()).toBe(0);
    expect((await call(stack().apiBase, 'GET', `/api/products/${dropped.id}`)).body.description).toBe('A lamp for tests.');
  });
});
