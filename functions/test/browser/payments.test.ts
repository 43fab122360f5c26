import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectControlsUncovered, expectNoAxeViolations, expectNoSidewaysScroll, useChromium } from '../support/browser.js';
import { ADMIN, call, createProduct } from '../support/localHost.js';
import { signInThroughEmulator } from '../support/login.js';
import { CHECKOUT, fillAddress, fillCard, fillCheckout, spaced, TEST_CARDS } from '../support/checkout.js';
import { useStack } from '../support/storeStack.js';
import { describeOnStripeMock, intentSucceeded } from '../support/stripeMock.js';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };
const VIEWPORTS = [DESKTOP, PHONE] as const;

/** No virtual shoppers or workers: nothing but the test moves stock or orders. */
const QUIET = { VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' };

/** A shopper's steps through the pages, and what a test reads behind them through the API. */
function shopperSteps(stack: () => { base: string; apiBase: string }, chromium: ReturnType<typeof useChromium>) {
  async function open(path: string, viewport: { width: number; height: number }): Promise<Page> {
    const page = await chromium.open(viewport);
    await page.goto(`${stack().base}${path}`);
    return page;
  }

  /** A fresh page at the cart, holding one of the product. */
  async function cartWithOne(productId: string, viewport: { width: number; height: number }): Promise<Page> {
    const page = await open(`/product/${productId}`, viewport);
    await page.getByRole('button', { name: 'Add to Cart' }).click();
    await page.getByRole('link', { name: 'Cart (1)', exact: true }).click();
    await page.getByText('$19.99 each').waitFor();
    return page;
  }

  /** Checks out with this card; resolves on the order's page with the order's id. */
  async function checkOut(page: Page, card: { number: string; expiry: string; cvc: string }): Promise<string> {
    await fillCheckout(page, {}, card);
    await page.getByRole('button', { name: 'Checkout', exact: true }).click();
    await page.waitForURL(/\/orders\/[A-Za-z0-9_-]+$/);
    return page.url().split('/').pop()!;
  }

  const order = async (orderId: string) => (await call(stack().apiBase, 'GET', `/api/manage/orders/${orderId}`, { headers: ADMIN })).body;
  const stock = async (productId: string) => (await call(stack().apiBase, 'GET', `/api/products/${productId}`)).body.stock as number;

  async function moveOrder(orderId: string, to: 'processing' | 'completed') {
    const { version } = await order(orderId);
    expect((await call(stack().apiBase, 'POST', `/api/manage/orders/${orderId}/transitions`, { headers: ADMIN, body: { to, version } })).status).toBe(200);
  }

  return { open, cartWithOne, checkOut, order, stock, moveOrder };
}

/**
 * Issue #25 in real Chromium through the Static Web Apps CLI: the checkout takes the demo
 * provider's test cards, and the order page tells and asks what the payment needs (a decline and
 * a retry, the confirmation step, the hold running out, the refund). Each at a desktop's and a
 * phone's width.
 */
describe('paying in Chromium', () => {
  const stack = useStack(QUIET);
  const chromium = useChromium();
  const { cartWithOne, checkOut, order, stock, moveOrder } = shopperSteps(stack, chromium);

  it('the checkout asks for the card as a browser can fill it, says no real money is taken and lists the test cards', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Card Form Lamp', stock: 5 });
    for (const viewport of VIEWPORTS) {
      const page = await cartWithOne(product.id, viewport);
      await page.getByText('No real money is taken:').waitFor();
      for (const { number } of Object.values(TEST_CARDS)) await page.getByText(spaced(number), { exact: true }).waitFor();
      for (const [label, autocomplete] of [['Card number', 'cc-number'], ['Expiry date (MM/YY)', 'cc-exp'], ['Security code (CVC)', 'cc-csc']] as const) {
        const field = page.getByLabel(label, { exact: true });
        expect(await field.getAttribute('autocomplete'), label).toBe(autocomplete);
        expect(await field.getAttribute('inputmode'), label).toBe('numeric');
      }

      // The address right, the card wrong: each card field says what it needs, the first has the focus.
      await fillCheckout(page, {}, { number: '4242', expiry: '13/30', cvc: '' });
      await page.getByRole('button', { name: 'Checkout', exact: true }).click();
      await page.getByText('Enter the 12 to 19 digits on the front of the card.').waitFor();
      await page.getByText('Enter the expiry date as MM/YY, for example 04/29.').waitFor();
      await page.getByText('Enter the security code.').waitFor();
      const number = page.getByLabel('Card number', { exact: true });
      expect(await number.getAttribute('aria-invalid')).toBe('true');
      expect(await number.getAttribute('aria-describedby')).toBe('checkout-card-number-error');
      await expect.poll(() => number.evaluate((element) => element === document.activeElement)).toBe(true);
      await expectNoAxeViolations(page, `checkout with card errors at ${viewport.width} px`);
      await expectNoSidewaysScroll(page, `checkout at ${viewport.width} px`);
      await expectControlsUncovered(page, `checkout at ${viewport.width} px`);

      await fillCheckout(page, {}, { ...TEST_CARDS.success, expiry: '01/20' });
      await page.getByRole('button', { name: 'Checkout', exact: true }).click();
      await page.getByText('This card has expired: use another one.').waitFor();

      // "Use" fills a test card in.
      await page.getByRole('button', { name: `Use card ${spaced(TEST_CARDS.success.number)}` }).click();
      expect(await number.inputValue()).toBe(spaced(TEST_CARDS.success.number));
    }
  });

  it('a shopper pays with the success card and follows the order to completed', async () => {
    for (const viewport of VIEWPORTS) {
      const product = await createProduct(stack().apiBase, { name: `Paid Kettle ${viewport.width}`, stock: 5 });
      const page = await cartWithOne(product.id, viewport);
      const orderId = await checkOut(page, TEST_CARDS.success);
      await page.getByText(/Status: (Received|Confirmed)/).waitFor();
      const summary = page.locator('dl.pairs');
      await summary.getByText('Paid', { exact: true }).waitFor(); // the state; the time is under "Paid on"
      await summary.getByText('Visa ending in 4242').waitFor();
      expect(await page.getByRole('heading', { name: 'Pay for your order' }).count()).toBe(0);
      expect(await page.getByRole('link', { name: 'Cart (0)' }).count()).toBe(1);
      await page.getByText('Status: Confirmed').waitFor({ timeout: 10_000 });
      await expectNoAxeViolations(page, `paid order at ${viewport.width} px`);

      const paid = await order(orderId);
      expect(paid.payment).toMatchObject({ status: 'paid', provider: 'demo', attempts: 1, method: { last4: '4242' } });
      expect(JSON.stringify(paid)).not.toContain('4242424242424242');
      expect(await stock(product.id)).toBe(4);
      await moveOrder(orderId, 'processing');
      await page.getByText('Status: Being prepared').waitFor();
      await moveOrder(orderId, 'completed');
      await page.getByText('Status: Completed').waitFor();
      expect(await page.locator('.timeline li .step').allTextContents()).toEqual(['Awaiting payment', 'Received', 'Confirmed', 'Being prepared', 'Completed']);
      // Nothing of the card stayed in the browser's storage.
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      expect(stored).not.toMatch(/4242 ?4242|12\/\d\d|"123"/);
    }
  });

  it('a declined card leaves the order unpaid, says why beside the card, and another card pays it', async () => {
    for (const viewport of VIEWPORTS) {
      const product = await createProduct(stack().apiBase, { name: `Declined Fan ${viewport.width}`, stock: 5 });
      const page = await cartWithOne(product.id, viewport);
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      const orderId = await checkOut(page, TEST_CARDS.declined);
      await page.getByText('Status: Awaiting payment').waitFor();
      await page.getByRole('heading', { name: 'Pay for your order' }).waitFor();
      await page.getByRole('alert').getByText('Your card was declined.').waitFor();
      const number = page.getByLabel('Card number', { exact: true });
      expect(await number.getAttribute('aria-describedby')).toContain('pay-card-failure');
      await page.getByRole('timer', { name: 'Time left to pay' }).waitFor();
      await expectNoAxeViolations(page, `declined order at ${viewport.width} px`);
      await expectNoSidewaysScroll(page, `declined order at ${viewport.width} px`);
      await expectControlsUncovered(page, `declined order at ${viewport.width} px`);
      expect((await order(orderId)).payment).toMatchObject({ status: 'failed', attempts: 1 });

      // Insufficient funds: another decline, in its own words.
      await fillCard(page, TEST_CARDS.insufficientFunds);
      await page.getByRole('button', { name: /pay \$19\.99/i }).click();
      await page.getByRole('alert').getByText('Your card has insufficient funds.').waitFor();
      await expect.poll(() => number.evaluate((element) => element === document.activeElement)).toBe(true);

      await fillCard(page, TEST_CARDS.success);
      await page.getByRole('button', { name: /pay \$19\.99/i }).click();
      await page.locator('dl.pairs').getByText('Visa ending in 4242').waitFor();
      await page.getByText('Status: Confirmed').waitFor({ timeout: 10_000 });
      expect(await page.getByRole('heading', { name: 'Pay for your order' }).count()).toBe(0);
      expect((await order(orderId)).payment).toMatchObject({ status: 'paid', attempts: 3 });
      expect(await stock(product.id)).toBe(4); // held once, taken once
      // With the demo provider the payment step fetches nothing of Stripe's: neither Stripe.js nor its loader chunk.
      expect(requested.filter((url) => /stripe/i.test(url))).toEqual([]);
    }
  });

  it('the card that asks for confirmation shows a dialog: not confirming leaves it unpaid, confirming pays', async () => {
    for (const viewport of VIEWPORTS) {
      const product = await createProduct(stack().apiBase, { name: `Confirmed Clock ${viewport.width}`, stock: 5 });
      const page = await cartWithOne(product.id, viewport);
      const orderId = await checkOut(page, TEST_CARDS.threeDSecure);
      const dialog = page.getByRole('dialog', { name: 'Confirm the payment of $19.99?' });
      await dialog.waitFor();
      await expectNoAxeViolations(page, `confirmation dialog at ${viewport.width} px`);
      await dialog.getByRole('button', { name: 'Do not confirm' }).click();
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('alert').getByText('You did not confirm the payment').waitFor();
      expect((await order(orderId)).status).toBe('awaiting_payment');

      await fillCard(page, TEST_CARDS.threeDSecure);
      await page.getByRole('button', { name: /pay \$19\.99/i }).click();
      await dialog.waitFor();
      // Closed by Escape, the step stays on the page to be opened again.
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('button', { name: 'Confirm the payment…' }).click();
      await dialog.getByRole('button', { name: 'Confirm payment' }).click();
      await page.locator('dl.pairs').getByText('Paid', { exact: true }).waitFor();
      await page.getByText('Status: Confirmed').waitFor({ timeout: 10_000 });
      expect((await order(orderId)).payment.status).toBe('paid');
    }
  });

  it('a paid order the customer cancels shows its refund, on the order page and the admin page', async () => {
    for (const viewport of VIEWPORTS) {
      const product = await createProduct(stack().apiBase, { name: `Refunded Radio ${viewport.width}`, stock: 5 });
      const page = await cartWithOne(product.id, viewport);
      const orderId = await checkOut(page, TEST_CARDS.success);
      await page.getByText('Status: Confirmed').waitFor({ timeout: 10_000 });
      await page.getByRole('button', { name: 'Cancel order' }).click();
      const dialog = page.getByRole('dialog', { name: /^Cancel order BB-/ });
      await dialog.getByText('the $19.99 you paid is refunded to your card').waitFor();
      await dialog.getByRole('button', { name: 'Yes, cancel it' }).click();
      await page.getByText(/^Status: Cancelled/).waitFor();
      await page.locator('dl.pairs').getByText(/^\$19\.99 refunded to your card on /).waitFor({ timeout: 15_000 });
      await page.locator('dl.pairs').getByText('Refunded', { exact: true }).waitFor();
      await expectNoAxeViolations(page, `refunded order at ${viewport.width} px`);
      expect(await stock(product.id)).toBe(5);

      const admin = await chromium.open(viewport);
      await signInThroughEmulator(admin, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: `/admin/orders/${orderId}` });
      const panel = admin.getByRole('region', { name: 'Payment' });
      await panel.getByText('Refunded', { exact: true }).waitFor();
      await panel.getByText(/^\$19\.99, refunded /).waitFor();
      await panel.getByText('Visa ending in 4242').waitFor();
      await expectNoAxeViolations(admin, `admin refunded order at ${viewport.width} px`);
    }
  });

  it('an employee’s cancel of a paid order says it refunds the payment, and shows the refund', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Employee Refund Lamp', stock: 5 });
    const placed = await call(stack().apiBase, 'POST', '/api/orders', { body: { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT } });
    expect(placed.body.payment.status).toBe('paid');
    const admin = await chromium.open(DESKTOP);
    await signInThroughEmulator(admin, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: `/admin/orders/${placed.body.orderId}` });
    await admin.getByRole('button', { name: 'Cancel order…' }).click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByText(/its payment is refunded/).waitFor();
    await dialog.getByLabel('Reason for the customer').fill('Out of stock at the warehouse.');
    await dialog.getByRole('button', { name: 'Cancel the order' }).click();
    const panel = admin.getByRole('region', { name: 'Payment' });
    await panel.getByText('Refunded', { exact: true }).waitFor({ timeout: 15_000 });
    await panel.getByText(/^\$19\.99, refunded /).waitFor();
  });

  it('employees see an order’s payment and find the orders awaiting payment; the overview counts them', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Unpaid Umbrella', stock: 5 });
    const shopper = await cartWithOne(product.id, DESKTOP);
    const unpaid = await checkOut(shopper, TEST_CARDS.declined);
    const { number } = await order(unpaid);
    for (const viewport of VIEWPORTS) {
      const admin = await chromium.open(viewport);
      await signInThroughEmulator(admin, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: '/admin/orders' });
      await admin.getByRole('link', { name: /^Awaiting payment \d+$/ }).click();
      await admin.waitForURL(/status=awaiting_payment/);
      await admin.getByRole('link', { name: number }).waitFor();
      await expectNoAxeViolations(admin, `awaiting-payment board at ${viewport.width} px`);
      await expectNoSidewaysScroll(admin, `awaiting-payment board at ${viewport.width} px`);
      await admin.getByRole('link', { name: number }).click();
      const panel = admin.getByRole('region', { name: 'Payment' });
      await panel.getByText('Declined', { exact: true }).waitFor();
      await panel.getByText('Your card was declined.').waitFor();
      await panel.getByText('Demo provider (test cards)').waitFor();
      await panel.getByText(/^Until /).waitFor();
      await expectNoAxeViolations(admin, `unpaid order at ${viewport.width} px`);

      await admin.getByRole('link', { name: 'Overview' }).click();
      const counts = admin.getByRole('region', { name: 'Orders by status' });
      await counts.getByRole('link', { name: 'Awaiting payment', exact: true }).waitFor();
      await admin.getByText(/^Unpaid orders: \d+/).waitFor();
      await expectNoAxeViolations(admin, `overview at ${viewport.width} px`);
    }
  });
});

describe('a hold that runs out, in Chromium', () => {
  // Holds of 6 s, swept every 2 s: an unpaid order's stock comes back within seconds.
  const stack = useStack({ ...QUIET, HOLD_MINUTES: '0.1', OUTBOX_SWEEP_SCHEDULE: '*/2 * * * * *' });
  const chromium = useChromium();
  const { cartWithOne, checkOut, order, stock } = shopperSteps(stack, chromium);

  it('an unpaid order counts down, gives its stock back when the hold runs out, and can still be paid while stock lasts', async () => {
    for (const viewport of VIEWPORTS) {
      const product = await createProduct(stack().apiBase, { name: `Held Heater ${viewport.width}`, stock: 1 });
      const page = await cartWithOne(product.id, viewport);
      const orderId = await checkOut(page, TEST_CARDS.declined);
      await page.getByRole('timer', { name: 'Time left to pay' }).getByText(/^0:0\d$/).waitFor();
      expect(await stock(product.id)).toBe(0);

      await page.getByText('Your reservation ran out').waitFor({ timeout: 15_000 });
      await page.getByText(/its items went back on sale/).waitFor({ timeout: 15_000 });
      expect(await stock(product.id)).toBe(1);
      expect((await order(orderId)).holdReleased).toBe(true);
      await expectNoAxeViolations(page, `expired hold at ${viewport.width} px`);

      await fillCard(page, TEST_CARDS.success);
      await page.getByRole('button', { name: /pay \$19\.99/i }).click();
      await page.locator('dl.pairs').getByText('Paid', { exact: true }).waitFor();
      expect(await stock(product.id)).toBe(0); // taken again
    }
  });

  it('paying after the hold ran out and the stock was sold says what is left, and offers the cart', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Gone Meanwhile Lamp', stock: 1 });
    const page = await cartWithOne(product.id, PHONE);
    await checkOut(page, TEST_CARDS.declined);
    await page.getByText(/its items went back on sale/).waitFor({ timeout: 15_000 });

    // Someone else buys the last one.
    const current = (await call(stack().apiBase, 'GET', `/api/manage/products/${product.id}`, { headers: ADMIN })).body;
    const { id: _id, version, updatedAt: _at, createdAt: _created, ...rest } = current;
    expect((await call(stack().apiBase, 'PUT', `/api/manage/products/${product.id}`, { headers: ADMIN, body: { ...rest, stock: 0, version } })).status).toBe(200);

    await fillCard(page, TEST_CARDS.success);
    await page.getByRole('button', { name: /pay \$19\.99/i }).click();
    await page.getByRole('alert').getByText(/Not enough stock is left to pay for this order: Gone Meanwhile Lamp \(sold out\)\. Nothing was charged\./).waitFor();
    await page.getByText('Not available: Gone Meanwhile Lamp.').waitFor();
    await expectNoAxeViolations(page, 'short stock on paying again at 390 px');

    // The overview counts it: unpaid, its hold expired (the orders of the test before were paid).
    const admin = await chromium.open(PHONE);
    await signInThroughEmulator(admin, stack().base, { userDetails: 'robin.employee@bestbuy.example', roles: ['admin'], then: '/admin' });
    await admin.getByText('Unpaid orders: 1. Holds expired (their stock back on sale): 1.').waitFor();
  });
});

const STRIPE_WEBHOOK_SECRET = 'whsec_test_bestbuy_browser';
const stripeSigner = new Stripe('sk_test_unused');

/**
 * A stand-in for Stripe.js, which the test serves at https://js.stripe.com/v3 (page.route): it
 * records what the page gives it, mounts its card frame from js.stripe.com (so the page's
 * frame-src is put to the test, as its script-src is by the script itself) and, confirming, asks
 * https://api.stripe.com (connect-src), whose answer the test decides. Nothing leaves the machine.
 */
const FAKE_STRIPE_JS = `
  window.stripeSaw = { keys: [], elements: [], clientSecrets: [] };
  window.Stripe = (key) => {
    window.stripeSaw.keys.push(key);
    return {
      elements(options) {
        window.stripeSaw.elements.push(options);
        return {
          create: () => {
            let frame;
            return {
              mount(target) {
                frame = document.createElement('iframe');
                frame.src = 'https://js.stripe.com/v3/fake-payment-element.html';
                frame.title = 'Secure payment input frame';
                frame.style.width = '100%';
                frame.style.border = '0';
                target.append(frame);
              },
              destroy: () => frame?.remove(),
            };
          },
          submit: async () => ({}),
        };
      },
      async confirmPayment({ clientSecret, redirect }) {
        window.stripeSaw.clientSecrets.push(clientSecret);
        const reply = await fetch('https://api.stripe.com/v1/payment_intents/confirm', { method: 'POST', body: redirect });
        return reply.json();
      },
    };
  };`;
/** The Payment Element's frame, with axe-core in it so the page's axe run reaches into it. */
const FAKE_PAYMENT_ELEMENT = '<!doctype html><html lang="en"><title>Card</title><main><label>Card number <input autocomplete="cc-number"></label></main><script src="/axe.min.js"></script></html>';

/**
 * Issue #25 with Stripe, in Chromium through the Static Web Apps CLI: the store runs with
 * PAYMENT_PROVIDER=stripe against stripe-mock, the page's Stripe.js is the test's stand-in, and
 * the payment is decided by a webhook event signed as Stripe signs them.
 */
describeOnStripeMock('paying with Stripe in Chromium, Stripe.js played by the test and Stripe by stripe-mock', (mock) => {
  const env: Record<string, string> = {
    ...QUIET,
    PAYMENT_PROVIDER: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_bestbuy',
    STRIPE_WEBHOOK_SECRET,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_bestbuy',
  };
  // stripe-mock is up before the stack starts (its beforeAll comes first), on a port known only then.
  beforeAll(() => {
    env.STRIPE_API_URL = mock().url.href;
  });
  const stack = useStack(env);
  const chromium = useChromium();
  const { cartWithOne, order } = shopperSteps(stack, chromium);

  /** Answers the page's requests to Stripe's origins; `confirmations` are api.stripe.com's answers to confirmPayment, in turn. */
  async function playStripe(page: Page, confirmations: object[]): Promise<string[]> {
    const fetched: string[] = [];
    const axe = readFileSync(resolve('node_modules/axe-core/axe.min.js'), 'utf8');
    await page.route('https://js.stripe.com/**', (route) => {
      const { pathname } = new URL(route.request().url());
      fetched.push(pathname);
      if (pathname === '/v3') return route.fulfill({ contentType: 'text/javascript', body: FAKE_STRIPE_JS });
      if (pathname === '/axe.min.js') return route.fulfill({ contentType: 'text/javascript', body: axe });
      return route.fulfill({ contentType: 'text/html', body: FAKE_PAYMENT_ELEMENT });
    });
    await page.route('https://api.stripe.com/**', (route) =>
      route.fulfill({ json: confirmations.shift() ?? { error: { type: 'api_error' } }, headers: { 'access-control-allow-origin': '*' } }),
    );
    return fetched;
  }

  it('the order page takes the card in Stripe’s frame, shows Stripe’s decline beside it, and turns Paid once Stripe’s signed webhook says so', async () => {
    for (const viewport of VIEWPORTS) {
      const product = await createProduct(stack().apiBase, { name: `Stripe Lamp ${viewport.width}`, stock: 5 });
      const page = await cartWithOne(product.id, viewport);
      const fetched = await playStripe(page, [
        { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } },
        { paymentIntent: { status: 'succeeded' } },
      ]);
      const started: Array<{ sent: string; clientSecret: string }> = [];
      page.on('response', async (response) => {
        if (!/\/api\/orders\/[^/]+\/payment$/.test(response.url())) return;
        started.push({ sent: response.request().postData() ?? '', clientSecret: (await response.json()).clientSecret });
      });

      // The checkout takes no card: the order page will.
      await page.getByText('This store takes cards through Stripe: once the order is placed, its page shows Stripe’s card form').waitFor();
      expect(await page.getByLabel('Card number', { exact: true }).count()).toBe(0);
      await fillAddress(page);
      await page.getByRole('button', { name: 'Checkout', exact: true }).click();
      await page.waitForURL(/\/orders\/[A-Za-z0-9_-]+$/);
      const orderId = page.url().split('/').pop()!;
      await page.getByText('Status: Awaiting payment').waitFor();
      await page.frameLocator('iframe[title="Secure payment input frame"]').getByLabel('Card number').waitFor();
      expect(fetched.slice(0, 2)).toEqual(['/v3', '/v3/fake-payment-element.html']);
      expect(await page.evaluate(() => (window as unknown as { stripeSaw: unknown }).stripeSaw)).toEqual({
        keys: ['pk_test_bestbuy'],
        elements: [{ mode: 'payment', amount: 1999, currency: 'usd' }],
        clientSecrets: [],
      });
      // Looking at the order started no payment attempt.
      expect((await order(orderId)).payment).toMatchObject({ status: 'unpaid', provider: 'stripe', attempts: 0 });
      await expectNoAxeViolations(page, `Stripe's card form at ${viewport.width} px`);
      await expectNoSidewaysScroll(page, `Stripe's card form at ${viewport.width} px`);

      // Declined in Stripe.js: Stripe's words beside its frame, and another try.
      await page.getByRole('button', { name: /pay \$19\.99/i }).click();
      await page.getByRole('alert').getByText('Your card was declined.').waitFor();
      await expectNoAxeViolations(page, `Stripe's decline at ${viewport.width} px`);
      await page.getByRole('button', { name: /pay \$19\.99/i }).click();
      await page.getByText('Stripe has your payment: waiting for Stripe to confirm it…').waitFor();

      // Each Pay started one attempt, whose client secret went to Stripe.js; the card never came to the store.
      const clientSecrets = await page.evaluate(() => (window as unknown as { stripeSaw: { clientSecrets: string[] } }).stripeSaw.clientSecrets);
      expect(started.map(({ sent }) => sent)).toEqual(['{}', '{}']);
      expect(clientSecrets).toEqual(started.map(({ clientSecret }) => clientSecret));
      expect(clientSecrets[0]).toMatch(/_secret_/);
      expect((await order(orderId)).payment).toMatchObject({ status: 'requires_action', attempts: 2 });

      const event = intentSucceeded(orderId, 2);
      const delivered = await call(stack().base, 'POST', '/api/payments/stripe/webhook', {
        raw: event,
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': stripeSigner.webhooks.generateTestHeaderString({ payload: event, secret: STRIPE_WEBHOOK_SECRET }) },
      });
      expect(delivered.body).toEqual({ received: true, effect: 'recorded' });
      const summary = page.locator('dl.pairs');
      await summary.getByText('Paid', { exact: true }).waitFor();
      await summary.getByText('Visa ending in 4242').waitFor();
      await page.getByText('Status: Confirmed').waitFor({ timeout: 10_000 });
      expect(await page.getByRole('heading', { name: 'Pay for your order' }).count()).toBe(0);
      await expectNoAxeViolations(page, `order paid with Stripe at ${viewport.width} px`);
    }
  });
});
