import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, useChromium } from '../support/browser.js';
import { DEFAULT_DRAFT } from '../support/fakeOpenAi.js';
import { writeDraft } from '../support/hostStore.js';
import { call, createProduct } from '../support/localHost.js';
import { signInThroughEmulator } from '../support/login.js';
import { useStackWithFakeAi } from '../support/storeStack.js';

/** Bulk enrichment and draft review in the admin page, under npm start (the local host's enrichment engine). */
describe('AI drafts on the admin page', () => {
  const { stack } = useStackWithFakeAi();
  const chromium = useChromium();

  it('fills in the products without a description with AI, shows the progress and the drafts, and accepts them', async () => {
    const bare = await createProduct(stack().apiBase, { name: 'Bare Lantern', description: '', stock: 2 });
    const page = await chromium.open();
    await signInThroughEmulator(page, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: '/admin/products' });
    const fillIn = page.getByRole('form', { name: 'Fill in with AI' });
    await expect.poll(() => fillIn.getByLabel('Products').inputValue()).toBe('description');
    await fillIn.getByRole('button', { name: 'Fill in with AI' }).click();
    await page.getByRole('heading', { name: 'Fill in with AI', level: 1 }).waitFor();
    await page.getByText('1 of 1 products done, 1 with drafts, 0 failed.').waitFor({ timeout: 15_000 });
    // Products by name, not id.
    await page.getByRole('row', { name: /Bare Lantern.*Draft ready/ }).waitFor();
    expect(await page.getByRole('link', { name: bare.id }).count()).toBe(0);
    await expectNoAxeViolations(page, 'enrichment job done');
    expect((await call(stack().apiBase, 'GET', `/api/products/${bare.id}`)).body.description).toBe('');

    await page.getByRole('button', { name: 'Accept all 1 drafts' }).click();
    await page.getByText('Accepted the drafts of 1 of 1 products.').first().waitFor();
    expect((await call(stack().apiBase, 'GET', `/api/products/${bare.id}`)).body.description).toBe(DEFAULT_DRAFT);

    // The audit log tells the job in words, not as its JSON.
    await page.goto(`${stack().base}/admin/audit`);
    const job = page.getByRole('row', { name: /Filled in products with AI/ }).first();
    await job.getByText('Failures none').waitFor();
    expect(await job.getByText(/productId/).count()).toBe(0);
  });

  it('at 390 px, the fill-in form’s and the list’s checkboxes sit beside their words', async () => {
    await createProduct(stack().apiBase, { name: 'Narrow Lantern', stock: 2 });
    const page = await chromium.open({ width: 390, height: 844 });
    await signInThroughEmulator(page, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: '/admin/products' });
    const fillIn = page.getByRole('form', { name: 'Fill in with AI' });
    for (const label of ['Description', 'Picture']) {
      const box = (await fillIn.getByLabel(label, { exact: true }).boundingBox())!;
      const words = (await fillIn.locator('label', { hasText: label }).boundingBox())!;
      // The box is inside its label, at its start, and the words follow within a few pixels.
      expect(box.x - words.x).toBeLessThanOrEqual(2);
      expect(box.width).toBeLessThanOrEqual(24);
    }
    const select = (await page.getByRole('checkbox', { name: 'Select Narrow Lantern' }).boundingBox())!;
    expect(select.width).toBeLessThanOrEqual(24);
    await expectNoAxeViolations(page, 'products at 390 px');
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
