import { createServer, type Server } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { applyCancellation } from '../../src/app/cancellation.js';
import { makeOrder } from '../../src/app/makeline.js';
import { moveOrder } from '../../src/app/moveOrder.js';
import { sendDueNotices, withNoticeKick } from '../../src/app/orderNotices.js';
import { placeOrder } from '../../src/app/placeOrder.js';
import { addNotice, backoffMs, MAX_NOTICE_ATTEMPTS, SENDING_HOLD_MS } from '../../src/domain/notices.js';
import { composeOrderMail, isNeverDelivered } from '../../src/domain/orderMail.js';
import { linkedOrder, publicOrder, transition, type StoredOrder } from '../../src/domain/order.js';
import type { Clock, Logger } from '../../src/ports.js';
import { CHECKOUT, TEST_CARDS, UNPAID } from '../support/checkout.js';
import { startTestMailCatcher, type TestMailCatcher } from '../support/mailCatcher.js';
import { addProduct, mongoServices, receivedOrder, silentLog, tempServices, withPort } from '../support/services.js';
import { describeOnMongo } from '../support/mongoSuite.js';

const EMPLOYEE = { userId: 'e1', userDetails: 'grace@example.com', identityProvider: 'aad', userRoles: ['authenticated', 'admin'] };
const SITE = { storeUrl: 'https://shop.example.com', messageIdDomain: 'shop.example.com' };

function recordingLog(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, info() {}, warn: (message) => void warnings.push(message), error: (message) => void warnings.push(message) };
}

describe('which changes a customer hears about', () => {
  const placed = (): StoredOrder => ({
    orderId: 'o1', number: 'BB-7K3Q9P', customer: { ...CHECKOUT.customer }, shipping: CHECKOUT.shipping,
    items: [{ productId: 'lamp', name: 'Lamp', quantity: 2, unitPriceCents: 1250 }], totalCents: 2500,
    status: 'received', history: [{ status: 'received', at: '2030-01-01T00:00:00.000Z' }], version: 1,
    createdAt: '2030-01-01T00:00:00.000Z', updatedAt: '2030-01-01T00:00:00.000Z', requestHash: 'h',
  });
  const now = new Date('2030-01-01T00:01:00Z');

  it('a completed, cancelled or rejected order gets one pending notice in the same change; other moves none', () => {
    const pending = transition(placed(), 'pending', now);
    expect(pending.notices).toBeUndefined();
    expect(transition(transition(pending, 'processing', now), 'completed', now).notices).toEqual([{ kind: 'completed', at: now.toISOString() }]);
    expect(transition(placed(), 'cancelled', now, 'Out of paper.').notices).toEqual([{ kind: 'cancelled', at: now.toISOString() }]);
    expect(transition(placed(), 'rejected', now, 'Not enough stock for Lamp.').notices?.map((n) => n.kind)).toEqual(['rejected']);
  });

  it('adds each kind at most once, and none to an order without an email address', () => {
    const once = addNotice(addNotice(placed(), 'confirmation', now), 'confirmation', new Date('2030-01-02T00:00:00Z'));
    expect(once.notices).toEqual([{ kind: 'confirmation', at: now.toISOString() }]);
    const noEmail: StoredOrder = { ...placed(), customer: { name: 'No Mail' } };
    expect(addNotice(noEmail, 'payment_failed', now).notices).toBeUndefined();
  });

  it('keeps notices out of every reply', () => {
    const cancelled = transition(placed(), 'cancelled', now, 'x');
    expect(cancelled.notices).toHaveLength(1);
    expect(publicOrder(cancelled)).not.toHaveProperty('notices');
    expect(linkedOrder(cancelled)).not.toHaveProperty('notices');
  });

  it('waits longer after each failed try, at most two hours', () => {
    expect([1, 2, 3, 8, 20].map(backoffMs)).toEqual([60_000, 120_000, 240_000, 7_200_000, 7_200_000]);
  });

  it('writes the email in text and HTML with the number, items, total, ship-to and the order link, escaping what the customer typed', () => {
    const order = { ...transition(placed(), 'cancelled', now, 'Address is outside our delivery area.'), customer: { name: 'Ada <script>alert(1)</script>', email: 'ada@example.com' } };
    const mail = composeOrderMail(order, 'cancelled', SITE);
    expect(mail).toMatchObject({ to: 'ada@example.com', subject: 'Order BB-7K3Q9P was cancelled', messageId: '<o1.cancelled@shop.example.com>' });
    for (const part of [mail.text, mail.html]) {
      for (const fact of ['BB-7K3Q9P', 'Lamp', '$25.00', '12 Analytical Row', 'N1 9GU London', 'Address is outside our delivery area.', 'https://shop.example.com/orders/o1']) expect(part).toContain(fact);
    }
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('Ada &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(mail.text).toContain('Nothing was charged');
    expect(composeOrderMail({ ...order, payment: { status: 'refunded', provider: 'demo', attempts: 1, refund: { amountCents: 2500 } } }, 'cancelled', SITE).text).toContain('We are refunding $25.00');
    expect(composeOrderMail(order, 'cancelled', SITE).messageId).toBe(mail.messageId);
    expect(composeOrderMail(transition(placed(), 'rejected', now, 'Not enough stock for Lamp.'), 'rejected', SITE).text).toMatch(/Not enough stock for Lamp\.[\s\S]*place the order again/);
    expect(composeOrderMail(placed(), 'confirmation', SITE)).toMatchObject({ subject: 'Order BB-7K3Q9P confirmed', messageId: '<o1.confirmation@shop.example.com>' });
    const declined = composeOrderMail({ ...placed(), payment: { status: 'failed', provider: 'demo', attempts: 1, failure: 'Your card was declined.' } }, 'payment_failed', SITE);
    expect(declined.subject).toBe('Payment for order BB-7K3Q9P did not go through');
    expect(declined.text).toMatch(/Your card was declined\.[\s\S]*try again with another card/);
  });

  it('writes every line of the email, the same in text and HTML', () => {
    const cancelled = { ...transition(placed(), 'cancelled', now, 'You cancelled it.'), payment: { status: 'refunded' as const, provider: 'demo' as const, attempts: 1, refund: { amountCents: 2500 } } };
    const mail = composeOrderMail(cancelled, 'cancelled', SITE);
    expect(mail.toName).toBe('Ada Shopper');
    expect(mail.text).toBe([
      'Hello Ada Shopper,', '',
      'Your order was cancelled. You cancelled it.', '',
      'We are refunding $25.00 to your card.', '',
      'Order BB-7K3Q9P',
      '  2 × Lamp: $25.00',
      '  Total: $25.00', '',
      'Ship to:', '  Ada Shopper', '  12 Analytical Row', '  N1 9GU London', '  United Kingdom', '',
      'Follow your order: https://shop.example.com/orders/o1', '',
      'BestBuy Store',
    ].join('\n'));
    expect(mail.html).toBe(`<!doctype html>
<html><body style="font-family: sans-serif; color: #222">
<p>Hello Ada Shopper,</p>
<p>Your order was cancelled. You cancelled it.</p>
<p>We are refunding $25.00 to your card.</p>
<h2 style="font-size: 1.1em">Order BB-7K3Q9P</h2>
<table cellpadding="4">
<tr><td>2 × Lamp</td><td align="right">$25.00</td></tr>
<tr><td><strong>Total</strong></td><td align="right"><strong>$25.00</strong></td></tr>
</table>
<p><strong>Ship to</strong><br>Ada Shopper<br>12 Analytical Row<br>N1 9GU London<br>United Kingdom</p>
<p><a href="https://shop.example.com/orders/o1">Follow your order</a></p>
<p>BestBuy Store</p>
</body></html>`);
  });

  it('greets a customer without a name plainly, leaves out a missing address, and says each kind in its own words', () => {
    const bare = { ...placed(), customer: { name: '', email: 'ada@example.com' }, shipping: undefined };
    const mail = composeOrderMail(bare, 'confirmation', SITE);
    expect(mail.toName).toBeUndefined();
    expect(mail.text).toBe([
      'Hello,', '',
      'Thank you: your payment went through, and we are preparing your order.', '',
      'Order BB-7K3Q9P', '  2 × Lamp: $25.00', '  Total: $25.00', '',
      'Follow your order: https://shop.example.com/orders/o1', '', 'BestBuy Store',
    ].join('\n'));
    expect(mail.html).not.toContain('Ship to');
    expect(composeOrderMail(bare, 'completed', SITE).text).toContain('\n\nYour order is complete and on its way to you.\n\n');
    // A move without a reason says only what happened.
    expect(composeOrderMail(transition(placed(), 'cancelled', now), 'cancelled', SITE).text).toContain('\nYour order was cancelled.\n\nNothing was charged for it.\n');
    expect(composeOrderMail(transition(placed(), 'rejected', now), 'rejected', SITE).text).toContain('\nWe could not fill your order.\n');
    expect(composeOrderMail({ ...placed(), payment: { status: 'failed', provider: 'demo', attempts: 1 } }, 'payment_failed', SITE).text).toContain('\nYour payment did not go through.\n');
    // The reason is the one given for the order's present status, not an earlier one.
    const reasons = { ...placed(), status: 'cancelled' as const, history: [{ status: 'received' as const, at: now.toISOString(), reason: 'Placed by phone.' }, { status: 'cancelled' as const, at: now.toISOString() }] };
    expect(composeOrderMail(reasons, 'cancelled', SITE).text).not.toContain('Placed by phone.');
    expect(() => composeOrderMail({ ...placed(), customer: { name: 'Ada', email: '' } }, 'completed', SITE)).toThrow(/o1 has no email address/);
  });

  it.each([
    ['shopper@example.com', true], ['a@shop.example.org', true], ['a@EXAMPLE.NET', true], ['a@mail.test', true], ['a@x.invalid', true],
    ['a@localhost', true], ['a@example', true],
    ['a@example.com.au', false], ['a@myexample.com', false], ['a@example.co', false], ['a@test.com', false], ['a@latest', false], ['a@gmail.com', false],
  ])('knows whether mail to %s can be delivered (never: %s)', (address, never) => expect(isNeverDelivered(address)).toBe(never));
});

type TestServices = ReturnType<typeof tempServices>;

const realSmtpSuite = (start: (env: Record<string, string>) => Promise<TestServices>) => {
  let catcher: TestMailCatcher;
  beforeAll(async () => {
    catcher = await startTestMailCatcher();
  });
  afterAll(() => catcher.close());

  let services: TestServices;
  let log: ReturnType<typeof recordingLog>;
  beforeEach(async () => {
    log = recordingLog();
    services = await start({ SMTP_URL: catcher.smtpUrl, STORE_PUBLIC_URL: 'https://shop.example.com/' });
  });
  afterEach(() => services.dispose());

  async function placed(customer = CHECKOUT.customer) {
    const product = await addProduct(services, { name: 'Desk <b>Fan</b>', stock: 10 });
    const { order } = await placeOrder(services, { items: [{ productId: product.id, quantity: 2 }], ...UNPAID, customer }, undefined, silentLog);
    return order;
  }
  const mailsOf = (order: StoredOrder) => (mail: { headers: Record<string, string> }) => mail.headers['message-id']?.startsWith(`<${order.orderId}.`) ?? false;

  it('mails a cancel right after the write, once, and records it sent', async () => {
    const kicking = withNoticeKick(services, log);
    const order = await placed();
    await applyCancellation(kicking, order, { by: 'employee', employee: EMPLOYEE, reason: 'Address is outside our delivery area.', expectedVersion: order.version }, silentLog);
    const [mail] = await catcher.waitFor(mailsOf(order));
    expect(mail).toMatchObject({ subject: `Order ${order.number} was cancelled`, to: [{ address: 'ada@example.com', name: 'Ada Shopper' }] });
    expect(mail!.text).toContain('Address is outside our delivery area.');
    expect(mail!.text).toContain(`https://shop.example.com/orders/${order.orderId}`);
    expect(mail!.html).toContain('Desk &#60;b&#62;Fan&#60;/b&#62;');
    await expect.poll(async () => (await services.orders.get(order.orderId))?.notices?.[0]?.sentAt).toBeDefined();
    // The sweeper finds nothing left to send: still one mail.
    expect(await sendDueNotices(services, log)).toEqual({ sent: 0, failed: 0 });
    expect((await catcher.mails()).filter(mailsOf(order))).toHaveLength(1);
  });

  it('confirms a paid order and tells of a declined card, each by email once', async () => {
    const kicking = withNoticeKick(services, log);
    const product = await addProduct(services, { name: 'Desk Fan', stock: 10 });
    const order = (payment: typeof CHECKOUT.payment) => placeOrder(kicking, { items: [{ productId: product.id, quantity: 1 }], ...CHECKOUT, payment }, undefined, silentLog);
    const paid = (await order(CHECKOUT.payment)).order;
    const declined = (await order({ card: TEST_CARDS.declined })).order;
    const [confirmation] = await catcher.waitFor(mailsOf(paid));
    expect(confirmation).toMatchObject({ subject: `Order ${paid.number} confirmed` });
    const [failure] = await catcher.waitFor(mailsOf(declined));
    expect(failure!.subject).toBe(`Payment for order ${declined.number} did not go through`);
    expect(failure!.text).toContain('Your card was declined.');
    expect(await sendDueNotices(services, log)).toEqual({ sent: 0, failed: 0 });
    expect((await catcher.mails()).filter(mailsOf(declined))).toHaveLength(1);
  });

  it('tells the customer of a rejected order what to do next', async () => {
    const product = await addProduct(services, { name: 'Desk Fan', stock: 1 });
    const order = await receivedOrder(services, [{ productId: product.id, quantity: 2 }]);
    expect((await makeOrder(withNoticeKick(services, log), order.orderId)).status).toBe('rejected');
    const [mail] = await catcher.waitFor(mailsOf(order));
    expect(mail!.subject).toBe(`We could not fill order ${order.number}`);
    expect(mail!.text).toMatch(/Not enough stock for Desk Fan[\s\S]*place the order again/);
  });

  it('sends each notice once though three sweeps race for it', async () => {
    const product = await addProduct(services, { name: 'Desk Fan', stock: 10 });
    const order = await receivedOrder(services, [{ productId: product.id, quantity: 2 }]);
    await makeOrder(services, order.orderId);
    let current = (await services.orders.get(order.orderId))!;
    for (const to of ['processing', 'completed'] as const) current = await moveOrder(services, order.orderId, to, current.version);
    await Promise.all([sendDueNotices(services, log), sendDueNotices(services, log), sendDueNotices(services, log)]);
    const mails = await catcher.waitFor(mailsOf(order));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await catcher.mails()).filter(mailsOf(order))).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Order ${order.number} is complete`);
  });

  it('a crash between the mail and its record sends it again once the hold is over, with the same Message-ID', async () => {
    let now = Date.now();
    const clock: Clock = { now: () => new Date(now) };
    const order = await placed();
    await applyCancellation(services, order, { by: 'customer' }, silentLog);
    now = Date.now();
    let replaces = 0;
    const crashing = withPort({ ...services, clock }, 'orders', {
      // The hold is written, the mail goes out, and the process dies before the record.
      replace: async (next, expected) => {
        if (++replaces === 2) throw new Error('the process was killed');
        return services.orders.replace(next, expected);
      },
    });
    await expect(sendDueNotices(crashing, log)).rejects.toThrow('the process was killed');
    await catcher.waitFor(mailsOf(order));
    expect(await sendDueNotices({ ...services, clock }, log)).toEqual({ sent: 0, failed: 0 }); // still held
    now += SENDING_HOLD_MS + 1;
    expect(await sendDueNotices({ ...services, clock }, log)).toEqual({ sent: 1, failed: 0 });
    const mails = await catcher.waitFor(mailsOf(order), 2);
    expect(new Set(mails.map((mail) => mail.headers['message-id']))).toEqual(new Set([`<${order.orderId}.cancelled@bestbuy.localhost>`]));
    expect((await services.orders.get(order.orderId))!.notices![0]).toMatchObject({ attempts: 2, sentAt: expect.any(String) });
  });

  it('sends nothing for an order without an email address', async () => {
    const order = await placed({ name: 'No Mail' } as typeof CHECKOUT.customer);
    const cancelled = await applyCancellation(withNoticeKick(services, log), order, { by: 'customer' }, silentLog);
    expect(cancelled.notices).toBeUndefined();
    expect(await services.orders.listNoticesDue(new Date(Date.now() + 86_400_000), 100)).toEqual([]);
  });
};

describe('sending order emails through a real SMTP server, on the embedded store', () => realSmtpSuite(async (env) => tempServices(env)));
describeOnMongo('sending order emails through a real SMTP server, on the MongoDB stores', (server) => realSmtpSuite((env) => mongoServices(server().uri, env)));

describe('a mail server that fails', () => {
  let silent: Server;
  let port: number;
  beforeAll(async () => {
    // Accepts connections and never says a word: the worst kind of mail server.
    silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(() => new Promise((resolve) => silent.close(resolve)));

  it('never holds up or fails the order, and is tried again with backoff until it gives up', async () => {
    let now = Date.now();
    const clock: Clock = { now: () => new Date(now) };
    const refused = tempServices({ SMTP_URL: 'smtp://127.0.0.1:1', STORE_PUBLIC_URL: 'https://shop.example.com' });
    const services = { ...refused, clock };
    const log = recordingLog();
    try {
      const product = await addProduct(refused);
      const { order } = await placeOrder(services, { items: [{ productId: product.id, quantity: 1 }], ...UNPAID }, undefined, silentLog);
      const started = performance.now();
      const cancelled = await applyCancellation(withNoticeKick(services, log), order, { by: 'customer' }, silentLog);
      expect(performance.now() - started).toBeLessThan(500);
      expect(cancelled.status).toBe('cancelled');
      await expect.poll(async () => (await refused.orders.get(order.orderId))?.notices?.[0]?.failure).toMatch(/ECONNREFUSED/);
      expect(log.warnings.join('\n')).toMatch(/cancelled email of order .* was not sent \(try 1 of 10, tried again later\): .*ECONNREFUSED/);
      const notice = async () => (await refused.orders.get(order.orderId))!.notices![0]!;
      expect(Date.parse((await notice()).retryAt!) - now).toBe(backoffMs(1));

      // Not due again before the backoff is over; then each sweep is one more try.
      expect(await sendDueNotices(services, log)).toEqual({ sent: 0, failed: 0 });
      for (let attempt = 2; attempt <= MAX_NOTICE_ATTEMPTS; attempt++) {
        now += backoffMs(attempt - 1) + 1;
        expect(await sendDueNotices(services, log)).toEqual({ sent: 0, failed: 1 });
      }
      expect(await notice()).toMatchObject({ attempts: MAX_NOTICE_ATTEMPTS, failedAt: expect.any(String), failure: expect.stringMatching(/ECONNREFUSED/) });
      expect(log.warnings.at(-1)).toMatch(/\(try 10 of 10, given up\)/);
      now += 86_400_000;
      expect(await refused.orders.listNoticesDue(new Date(now), 10)).toEqual([]);
    } finally {
      await refused.dispose();
    }
  });

  it('a server that hangs costs one try within the timeouts, and the sweeper sends it once the server is back', async () => {
    let now = Date.now();
    const clock: Clock = { now: () => new Date(now) };
    const hanging = tempServices({ SMTP_URL: `smtp://127.0.0.1:${port}` });
    const log = recordingLog();
    const catcher = await startTestMailCatcher();
    const working = tempServices({ SMTP_URL: catcher.smtpUrl, DATA_DIR: hanging.config.databaseFile.replace(/\/store\.db$/, '') });
    try {
      const product = await addProduct(hanging);
      const { order } = await placeOrder(hanging, { items: [{ productId: product.id, quantity: 1 }], ...UNPAID }, undefined, silentLog);
      await applyCancellation(hanging, order, { by: 'customer' }, silentLog);
      now = Date.now();
      const started = performance.now();
      expect(await sendDueNotices({ ...hanging, clock }, log)).toEqual({ sent: 0, failed: 1 });
      expect(performance.now() - started).toBeLessThan(12_000);
      now += backoffMs(1) + SENDING_HOLD_MS;
      expect(await sendDueNotices({ ...working, clock }, log)).toEqual({ sent: 1, failed: 0 });
      const [mail] = await catcher.waitFor((m) => m.headers['message-id'] === `<${order.orderId}.cancelled@bestbuy.localhost>`);
      expect(mail!.subject).toBe(`Order ${order.number} was cancelled`);
    } finally {
      await working.close();
      await hanging.dispose();
      await catcher.close();
    }
  }, 20_000);
});

describe('a notice recorded while the makeline works', () => {
  it('makes the order again instead of leaving it to the queue: an email write only bumps the version', async () => {
    const services = tempServices({ MAIL_PROVIDER: 'off' });
    try {
      const product = await addProduct(services, { stock: 5 });
      const order = await receivedOrder(services, [{ productId: product.id, quantity: 2 }]);
      // A confirmation pending on an order the makeline has yet to make.
      const paid = { ...addNotice(order, 'confirmation', new Date()), version: order.version + 1 };
      expect((await services.orders.replace(paid, order.version)).outcome).toBe('replaced');
      let recorded = false;
      const racing = withPort(services, 'products', {
        // While the makeline takes the stock, the sender records the confirmation.
        reserveStock: async (orderId, items) => {
          if (!recorded) {
            recorded = true;
            expect(await sendDueNotices(services, silentLog)).toEqual({ sent: 0, failed: 0 });
          }
          return services.products.reserveStock(orderId, items);
        },
      });
      const made = await makeOrder(racing, order.orderId);
      expect(made.status).toBe('pending');
      expect(made.notices).toEqual([expect.objectContaining({ kind: 'confirmation', failedAt: expect.any(String) })]);
      expect((await services.products.get(product.id))!.stock).toBe(3);
    } finally {
      await services.dispose();
    }
  });
});

describe('addresses no server delivers to', () => {
  it('are not handed to Azure Communication Services (the virtual customer orders as example.com), but reach a mail catcher', async () => {
    const services = tempServices({ MAIL_PROVIDER: 'off' });
    const handed: string[] = [];
    const acs = { ...services, mail: { provider: 'acs' as const, from: 'DoNotReply@0a1b.azurecomm.net', send: async (mail: { to: string }) => void handed.push(mail.to), ping: async () => {} } };
    try {
      const product = await addProduct(services);
      for (const email of ['virtual.customer@example.com', 'ada@shop.test', 'ada@lovelace.dev']) {
        const { order } = await placeOrder(services, { items: [{ productId: product.id, quantity: 1 }], ...UNPAID, customer: { name: 'A', email } }, undefined, silentLog);
        await applyCancellation(services, order, { by: 'customer' }, silentLog);
      }
      expect(await sendDueNotices(acs, silentLog)).toEqual({ sent: 1, failed: 0 });
      expect(handed).toEqual(['ada@lovelace.dev']);
    } finally {
      await services.dispose();
    }
  });
});

describe('mail off', () => {
  it('records that nothing is sent rather than leaving the notice waiting', async () => {
    const services = tempServices({ MAIL_PROVIDER: 'off' });
    try {
      const product = await addProduct(services);
      const { order } = await placeOrder(services, { items: [{ productId: product.id, quantity: 1 }], ...UNPAID }, undefined, silentLog);
      await applyCancellation(services, order, { by: 'customer' }, silentLog);
      expect(await sendDueNotices(services, silentLog)).toEqual({ sent: 0, failed: 0 });
      expect((await services.orders.get(order.orderId))!.notices).toEqual([
        expect.objectContaining({ kind: 'cancelled', failedAt: expect.any(String), failure: 'mail is off (MAIL_PROVIDER=off)' }),
      ]);
      expect(await services.orders.listNoticesDue(new Date(Date.now() + 86_400_000), 10)).toEqual([]);
    } finally {
      await services.dispose();
    }
  });
});
