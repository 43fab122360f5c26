import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { expectNoAxeViolations, useChromium } from '../support/browser.js';
import { ADMIN, call, createProduct } from '../support/localHost.js';
import { completeEmulatorLogin, serveEmulatorAssets, signInThroughEmulator } from '../support/login.js';
import { CHECKOUT, fillCheckout } from '../support/checkout.js';
import { useStack } from '../support/storeStack.js';

/**
 * Customer accounts in real headless Chromium, against npm start's stack: signing in goes through
 * the storefront's own links to the Static Web Apps CLI's login emulator, as a person would.
 */
describe('customer accounts in Chromium', () => {
  const stack = useStack({ VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  const chromium = useChromium();

  async function open(path: string): Promise<Page> {
    const page = await chromium.open();
    await page.goto(`${stack().base}${path}`);
    return page;
  }

  /** From the header's "Sign in", through the Account page's provider link and the emulator, back to My orders. */
  async function signIn(page: Page, provider: 'GitHub' | 'Microsoft', who: { userId: string; userDetails: string }) {
    await serveEmulatorAssets(page);
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
    await page.getByRole('link', { name: `Sign in with ${provider}` }).click();
    await completeEmulatorLogin(page, { ...who, roles: [] });
    await page.waitForURL(`${stack().base}/orders`);
    await page.unroute(/^https:\/\//);
    await page.getByRole('link', { name: who.userDetails, exact: true }).waitFor(); // the header names them
  }

  /** Puts one of the product in the cart and checks out through the page; returns the order's id and its number. */
  async function checkOut(page: Page, productId: string, name: string): Promise<{ orderId: string; number: string }> {
    await page.goto(`${stack().base}/product/${productId}`);
    await page.getByRole('button', { name: 'Add to Cart' }).click();
    await page.getByRole('link', { name: 'Cart (1)', exact: true }).click();
    await page.getByText('$19.99 each').waitFor();
    await fillCheckout(page, { 'Full name': name });
    await page.getByRole('button', { name: 'Checkout', exact: true }).click();
    await page.waitForURL(/\/orders\/[A-Za-z0-9_-]+$/);
    const orderId = page.url().split('/').pop()!;
    return { orderId, number: (await call(stack().apiBase, 'GET', `/api/orders/${orderId}`)).body.number };
  }

  it('a signed-in customer sees their order in My orders from another browser, and the checkout fills in their details', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Account Lamp', stock: 10 });
    const kim = { userId: 'kim-account-1', userDetails: 'kim.customer' };

    const first = await open('/account');
    await first.getByRole('link', { name: 'Sign in with GitHub' }).waitFor();
    await expectNoAxeViolations(first, 'account page, signed out');
    await signIn(first, 'GitHub', kim);
    await first.getByRole('link', { name: 'Sign out' }).waitFor();
    await first.getByText('You have no orders yet.').waitFor();
    const { orderId, number } = await checkOut(first, product.id, 'Kim Customer');
    expect((await call(stack().apiBase, 'GET', `/api/manage/orders/${orderId}`, { headers: ADMIN })).body.owner).toEqual({ identityProvider: 'github', userId: kim.userId, name: kim.userDetails });

    // Another browser (no localStorage of the first), signed in as the same account.
    const second = await open('/');
    await signIn(second, 'GitHub', kim);
    await second.getByRole('link', { name: `Order ${number}` }).waitFor();
    await second.getByText('Signed in as kim.customer with GitHub').waitFor();
    await expectNoAxeViolations(second, 'My orders, signed in');
    await second.goto(`${stack().base}/account`);
    await second.getByText('Signed in as').waitFor();
    await expectNoAxeViolations(second, 'account page, signed in');

    // Their last details come back at checkout, on this device too.
    await second.goto(`${stack().base}/product/${product.id}`);
    await second.getByRole('button', { name: 'Add to Cart' }).click();
    await second.getByRole('link', { name: 'Cart (1)', exact: true }).click();
    await expect.poll(() => second.getByLabel('Full name', { exact: true }).inputValue()).toBe('Kim Customer');
    expect(await second.getByLabel('Street address', { exact: true }).inputValue()).toBe(CHECKOUT.shipping.street);

    // Signing out leaves a guest: the header says "Sign in" again.
    await second.getByRole('link', { name: 'Sign out' }).click();
    await second.getByRole('link', { name: 'Sign in', exact: true }).waitFor();
    expect(await second.getByRole('link', { name: 'Sign out' }).count()).toBe(0);
  });

  it('a guest who signs in is offered the orders of this browser, claims them, and an employee sees who placed them', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Claimed Kettle', stock: 10 });
    const page = await open('/');
    const { orderId, number } = await checkOut(page, product.id, 'Lee Guest');
    expect((await call(stack().apiBase, 'GET', `/api/orders/${orderId}`)).body.owner).toBeUndefined();

    await signIn(page, 'Microsoft', { userId: 'lee-account-2', userDetails: 'lee@example.com' });
    const offer = page.getByRole('region', { name: 'Orders from this browser' });
    await offer.getByText('This order was placed in this browser before you signed in: add it to your account?').waitFor();
    await expectNoAxeViolations(page, 'My orders with the offer to claim');
    await offer.getByRole('button', { name: 'Add to my account' }).click();
    await page.getByText('Added 1 order to your account.').first().waitFor();
    await page.getByRole('link', { name: `Order ${number}` }).waitFor();
    expect(await offer.count()).toBe(0);
    expect((await call(stack().apiBase, 'GET', `/api/manage/orders/${orderId}`, { headers: ADMIN })).body.owner.userId).toBe('lee-account-2');

    // Not offered again on the next visit.
    await page.reload();
    await page.getByRole('link', { name: `Order ${number}` }).waitFor();
    expect(await page.getByRole('region', { name: 'Orders from this browser' }).count()).toBe(0);

    const employee = await chromium.open();
    await signInThroughEmulator(employee, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: `/admin/orders/${orderId}` });
    await employee.getByText('lee@example.com (Microsoft)').waitFor();
    await employee.goto(`${stack().base}/admin/orders`);
    await employee.getByRole('row').filter({ hasText: number }).getByText('lee@example.com (Microsoft)').waitFor();
    await expectNoAxeViolations(employee, 'admin order list with owners');
  });
});
