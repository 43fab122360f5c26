import { lineTotal, type Cents } from './money.js';
import type { NoticeKind } from './notices.js';
import type { Order } from './order.js';

/** One email about one order, ready for any mail adapter. */
export interface OrderMail {
  to: string;
  toName?: string;
  subject: string;
  text: string;
  html: string;
  /** The same for the same order and kind, every try: a mail client shows a repeat once. */
  messageId: string;
}

export interface MailSite {
  /** Where the storefront is (STORE_PUBLIC_URL), without a trailing slash. */
  storeUrl: string;
  /** The domain part of Message-IDs: the sender address's. */
  messageIdDomain: string;
}

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const money = (cents: Cents) => usd.format(cents / 100);

/**
 * Addresses no mail server delivers to: the domains RFC 2606 and RFC 6761 reserve (example.com,
 * .test, .invalid, .localhost ...). The virtual customer orders as virtual.customer@example.com.
 */
export function isNeverDelivered(address: string): boolean {
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  return /(^|\.)example\.(com|net|org)$/.test(domain) || /(^|\.)(example|test|invalid|localhost)$/.test(domain);
}

/** Every character HTML gives a meaning to, so nothing a customer typed becomes markup. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** What each email says beyond the order itself: a headline and the paragraphs under it. */
function wording(order: Order, kind: NoticeKind): { subject: string; lines: string[] } {
  const number = order.number ?? order.orderId;
  const reason = order.history.filter((change) => change.status === order.status).at(-1)?.reason;
  const refund = order.payment?.refund;
  switch (kind) {
    case 'confirmation':
      return { subject: `Order ${number} confirmed`, lines: ['Thank you: your payment went through, and we are preparing your order.'] };
    case 'completed':
      return { subject: `Order ${number} is complete`, lines: ['Your order is complete and on its way to you.'] };
    case 'cancelled':
      return {
        subject: `Order ${number} was cancelled`,
        lines: [
          `Your order was cancelled.${reason ? ` ${reason}` : ''}`,
          refund ? `We are refunding ${money(refund.amountCents)} to your card.` : 'Nothing was charged for it.',
        ],
      };
    case 'rejected':
      return {
        subject: `We could not fill order ${number}`,
        lines: [
          `We could not fill your order.${reason ? ` ${reason}` : ''}`,
          'Its stock was given back and nothing is owed. You can place the order again with fewer items, or choose other products in the store.',
        ],
      };
    case 'payment_failed':
      return {
        subject: `Payment for order ${number} did not go through`,
        lines: [
          `Your payment did not go through.${order.payment?.failure ? ` ${order.payment.failure}` : ''}`,
          'Your order is kept for a while: open it to try again with another card.',
        ],
      };
  }
}

/** The email for one notice of an order, as plain text and as HTML with everything typed by the customer escaped. */
export function composeOrderMail(order: Order, kind: NoticeKind, site: MailSite): OrderMail {
  const email = order.customer.email;
  if (!email) throw new Error(`order ${order.orderId} has no email address`);
  const { subject, lines } = wording(order, kind);
  const link = `${site.storeUrl}/orders/${encodeURIComponent(order.orderId)}`;
  const number = order.number ?? order.orderId;
  const items = order.items.map((item) => ({ label: `${item.quantity} × ${item.name}`, amount: money(lineTotal(item.unitPriceCents, item.quantity)) }));
  const ship = order.shipping;
  const shipTo = ship ? [ship.name, ship.street, `${ship.postalCode} ${ship.city}`, ship.country] : [];
  const greeting = `Hello${order.customer.name ? ` ${order.customer.name}` : ''},`;

  const text = [
    greeting,
    '',
    ...lines.flatMap((line) => [line, '']),
    `Order ${number}`,
    ...items.map((item) => `  ${item.label}: ${item.amount}`),
    `  Total: ${money(order.totalCents)}`,
    ...(shipTo.length ? ['', 'Ship to:', ...shipTo.map((line) => `  ${line}`)] : []),
    '',
    `Follow your order: ${link}`,
    '',
    'BestBuy Store',
  ].join('\n');

  const e = escapeHtml;
  const html = `<!doctype html>
<html><body style="font-family: sans-serif; color: #222">
<p>${e(greeting)}</p>
${lines.map((line) => `<p>${e(line)}</p>`).join('\n')}
<h2 style="font-size: 1.1em">Order ${e(number)}</h2>
<table cellpadding="4">
${items.map((item) => `<tr><td>${e(item.label)}</td><td align="right">${e(item.amount)}</td></tr>`).join('\n')}
<tr><td><strong>Total</strong></td><td align="right"><strong>${e(money(order.totalCents))}</strong></td></tr>
</table>
${shipTo.length ? `<p><strong>Ship to</strong><br>${shipTo.map(e).join('<br>')}</p>` : ''}
<p><a href="${e(link)}">Follow your order</a></p>
<p>BestBuy Store</p>
</body></html>`;

  return {
    to: email,
    ...(order.customer.name ? { toName: order.customer.name } : {}),
    subject,
    text,
    html,
    messageId: `<${order.orderId}.${kind}@${site.messageIdDomain}>`,
  };
}
