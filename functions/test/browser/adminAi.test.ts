import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, useChromium } from '../support/browser.js';
import { call, createProduct } from '../support/localHost.js';
import { signInThroughEmulator } from '../support/login.js';
import { useStackWithFakeAi } from '../support/storeStack.js';

const DRAFT = 'Room-filling sound from a speaker that fits on a shelf, with a fabric front.';

/**
 * The product form's AI help end to end: admin page in Chromium → the real AI endpoints on the
 * local host → the real openai client → a scripted OpenAI-compatible server on loopback.
 */
describe('AI help on the admin product form', () => {
  const { stack, fake } = useStackWithFakeAi();
  const chromium = useChromium();

  it('drafts a description, tells a content-filter refusal beside the field, draws a picture, and saves only when asked', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Harbor Shelf Speaker', tags: ['audio'], stock: 4 });
    const page = await chromium.open();
    await signInThroughEmulator(page, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: `/admin/products/${product.id}` });
    const write = page.getByRole('button', { name: 'Write a draft with AI' });
    await write.waitFor();

    fake().script('chat', { reply: 'filtered' }, { reply: 'ok', text: DRAFT });
    await write.click();
    await page.locator('#description-error').getByText(/content filter/i).waitFor();
    await write.click();
    await expect.poll(() => page.getByLabel('Description').inputValue()).toBe(DRAFT);
    const asked = fake().requests.filter((request) => request.endpoint === 'chat').at(-1)!;
    expect(JSON.stringify(asked.body.messages)).toContain('Harbor Shelf Speaker');

    // Nothing is stored until the employee saves.
    expect((await call(stack().apiBase, 'GET', `/api/products/${product.id}`)).body.description).toBe('A lamp for tests.');

    await page.getByRole('button', { name: 'Draw a picture with AI' }).click();
    const picture = page.getByRole('img', { name: 'Harbor Shelf Speaker as shown in the store' });
    await expect.poll(() => picture.getAttribute('src')).toMatch(/^\/api\/images\/[A-Za-z0-9_-]+$/);
    await expectNoAxeViolations(page, 'product form with AI help');

    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.getByRole('status').getByText(/^Saved Harbor Shelf Speaker/).waitFor();
    const saved = (await call(stack().apiBase, 'GET', `/api/products/${product.id}`)).body;
    expect(saved.description).toBe(DRAFT);
    expect(saved.imageUrl).toBe(await picture.getAttribute('src'));
    const served = await fetch(`${stack().apiBase}${saved.imageUrl}`);
    expect(served.headers.get('content-type')).toBe('image/png');
  });
});
