import { randomUUID } from 'node:crypto';
import type { Order } from '../domain/order.js';
import type { Product } from '../domain/product.js';
import type { Page } from '../ports.js';

/** A check that did not pass: what it saw, and the one thing an operator does about it. */
export class CheckFailed extends Error {
  constructor(
    readonly saw: string,
    readonly fix: string,
  ) {
    super(saw);
  }
}

/** Where a waiting check says, once, that it keeps trying (the store may still be warming up). */
export type Progress = (message: string) => void;

const POLL_MS = 1000;
/** Static Web Apps gives a backend 45 s per request; waiting longer for one answer tells nothing more. */
const REQUEST_TIMEOUT_MS = 45_000;
const CATALOG_PAGE = 100;
const EMPTY_CATALOG = 'the catalog is empty';

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Why a request got no answer, in a few words. */
export function noAnswer(error: unknown): string {
  const { name, message, cause } = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (name === 'TimeoutError') return 'no answer in time';
  return `could not connect (${cause?.code ?? cause?.message ?? message})`;
}

export async function send(url: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
  const { timeoutMs = REQUEST_TIMEOUT_MS, ...rest } = init;
  return fetch(url, { redirect: 'manual', ...rest, signal: AbortSignal.timeout(Math.max(1000, Math.min(timeoutMs, REQUEST_TIMEOUT_MS))) });
}

/** The body as JSON, or undefined when it is not JSON (an HTML error page, say). */
export async function json<T>(response: Response): Promise<T | undefined> {
  try {
    return (await response.json()) as T;
  } catch {
    return undefined;
  }
}

/** "answered 503: <the API's error message>" */
export async function answered(response: Response): Promise<string> {
  const body = await json<{ error?: { message?: string } }>(response);
  const message = body?.error?.message;
  return `answered ${response.status}${message ? `: ${message}` : ''}`;
}

type Attempt<T> = { value: T } | { notYet: string };

/**
 * Tries until the attempt has a value or the time is up. Every attempt gets what time is left; an
 * unreachable address counts as "not yet", since a fresh deployment may still be starting.
 */
async function keepTrying<T>(
  label: string,
  timeoutMs: number,
  progress: Progress,
  attempt: (timeLeftMs: number) => Promise<Attempt<T>>,
): Promise<{ value: T } | { gaveUp: string }> {
  const deadline = Date.now() + timeoutMs;
  let told = false;
  for (;;) {
    const outcome = await attempt(deadline - Date.now()).catch((error: unknown): Attempt<T> => {
      if (error instanceof CheckFailed) throw error;
      return { notYet: noAnswer(error) };
    });
    if ('value' in outcome) return outcome;
    const timeLeftMs = deadline - Date.now();
    if (timeLeftMs <= 0) return { gaveUp: outcome.notYet };
    if (!told) progress(`${label}: ${outcome.notYet}; trying again for up to ${seconds(timeoutMs)}`);
    told = true;
    await sleep(Math.min(POLL_MS, timeLeftMs));
  }
}

/** The first page of the catalog; retried while the API warms up or the catalog is still being seeded. */
export async function catalog(site: string, timeoutMs: number, progress: Progress) {
  const url = `${site}/api/products?limit=${CATALOG_PAGE}`;
  const outcome = await keepTrying<Page<Product>>('GET /api/products', timeoutMs, progress, async (timeLeftMs) => {
    const response = await send(url, { timeoutMs: timeLeftMs });
    if (!response.ok) return { notYet: await answered(response) };
    const page = await json<Page<Product>>(response);
    if (!page || !Array.isArray(page.items)) return { notYet: `answered ${response.status} without a product list` };
    if (page.items.length === 0) return { notYet: EMPTY_CATALOG };
    return { value: page };
  });
  if ('gaveUp' in outcome) {
    throw new CheckFailed(
      `GET /api/products: ${outcome.gaveUp} after ${seconds(timeoutMs)}`,
      outcome.gaveUp === EMPTY_CATALOG
        ? 'Turn catalog seeding back on (azd env set SEED_CATALOG true, then azd provision) and restart the Function App, or add products on the admin page (/admin).'
        : `Open ${site}/api/health and the API's log (Application Insights on Azure) to see why it does not answer.`,
    );
  }
  const { items, nextCursor } = outcome.value;
  const count = `${items.length}${nextCursor ? '+' : ''}`;
  return { saw: `${count} ${count === '1' ? 'product' : 'products'}`, products: items };
}

/** Stripe's test card, which the demo provider takes: no money moves. */
const DEMO_SUCCESS_CARD = { number: '4242424242424242', expiry: '12/39', cvc: '123' };

/** Who takes the store's payments (GET /api/payments/setup): the check pays only the demo provider, which moves no money. */
export async function paymentProvider(site: string): Promise<string> {
  try {
    const response = await send(`${site}/api/payments/setup`);
    return (await json<{ provider?: string }>(response))?.provider ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Places one order for one unit of the product with the most stock, paid in the same call with
 * the demo provider's test card when `pay`; the Idempotency-Key makes retries safe.
 */
export async function acceptsOrder(site: string, products: Product[], timeoutMs: number, progress: Progress, pay = true) {
  const product = products.reduce((most, next) => (next.stock > most.stock ? next : most));
  if (product.stock <= 0) {
    throw new CheckFailed(
      `none of the first ${products.length} products is in stock`,
      'Restock a product on the admin page (/admin), or lower the virtual customer\'s rate, and run the check again.',
    );
  }
  const key = `smoke-${Date.now()}-${randomUUID().slice(0, 8)}`;
  const body = JSON.stringify({
    items: [{ productId: product.id, quantity: 1 }],
    customer: { name: 'Smoke check', email: 'smoke.check@example.com' },
    shipping: { name: 'Smoke check', street: '1 Test Street', city: 'Testville', postalCode: '12345', country: 'United States' },
    ...(pay && { payment: { card: DEMO_SUCCESS_CARD } }),
  });
  const outcome = await keepTrying<Order>('POST /api/orders', timeoutMs, progress, async (timeLeftMs) => {
    const response = await send(`${site}/api/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body,
      timeoutMs: timeLeftMs,
    });
    if (response.status === 202) {
      const order = await json<Order>(response);
      if (order && order.orderId) return { value: order };
      return { notYet: 'answered 202 without an order id' };
    }
    const why = await answered(response);
    if (response.status < 500) throw new CheckFailed(`POST /api/orders ${why}`, 'Deploy the current build of the API (azd deploy api): the deployed one refuses a valid order.');
    return { notYet: why };
  });
  if ('gaveUp' in outcome) {
    throw new CheckFailed(
      `POST /api/orders: ${outcome.gaveUp} after ${seconds(timeoutMs)}`,
      `Open ${site}/api/health and the API's log (Application Insights on Azure) to see which dependency fails.`,
    );
  }
  return { saw: `placed ${outcome.value.orderId} for 1 × ${product.name} (202)`, orderId: outcome.value.orderId, order: outcome.value };
}

/** The order came back paid (received, on its way to the makeline), or why not. */
export function paidFor(order: Order) {
  const payment = order.payment;
  if (payment?.status === 'paid') {
    return { saw: `paid with the demo provider's test card (${payment.method?.brand ?? 'card'} ${payment.method?.last4 ?? ''}), no money taken`.replace(' )', ')') };
  }
  throw new CheckFailed(
    `order ${order.orderId} is ${order.status}, its payment ${payment?.status ?? 'missing'}${payment?.failure ? `: ${payment.failure}` : ''}`,
    'Check PAYMENT_PROVIDER (demo takes the test card) and the API\'s log (Application Insights on Azure) for the payment step.',
  );
}

/** Waits for the makeline to take the order off the queue: pending (or later), or rejected with its reason. */
export async function reachesPending(site: string, orderId: string, timeoutMs: number, progress: Progress) {
  const started = Date.now();
  const outcome = await keepTrying<Order>(`GET /api/orders/${orderId}`, timeoutMs, progress, async (timeLeftMs) => {
    const response = await send(`${site}/api/orders/${orderId}`, { timeoutMs: timeLeftMs });
    if (!response.ok) return { notYet: await answered(response) };
    const order = await json<Order>(response);
    if (!order || !order.status) return { notYet: `answered ${response.status} without an order` };
    if (order.status === 'received' || order.status === 'awaiting_payment') return { notYet: `the order is still ${order.status.replace('_', ' ')}` };
    return { value: order };
  });
  if ('gaveUp' in outcome) {
    throw new CheckFailed(
      `order ${orderId}: ${outcome.gaveUp} after ${seconds(timeoutMs)}`,
      'Nothing takes orders off the queue: look for makeline errors in the API\'s log (Application Insights on Azure) and check the orders queue in Service Bus.',
    );
  }
  const order = outcome.value;
  if (order.status === 'rejected') {
    const reason = order.history.find((change) => change.status === 'rejected')?.reason ?? 'no reason given';
    throw new CheckFailed(
      `order ${orderId} was rejected: ${reason}`,
      'Restock the product on the admin page (/admin), or lower the virtual customer\'s rate, and run the check again.',
    );
  }
  const now = order.status === 'pending' ? '' : `, now ${order.status}`;
  return { saw: `order ${orderId} reached pending in ${seconds(Date.now() - started)}${now}` };
}

/** Refused: 401/403, or a redirect to sign in (this API never redirects, so a 3xx is the platform's gate). */
function refusal(response: Response): string | null {
  if (response.status === 401 || response.status === 403) return String(response.status);
  if (response.status >= 300 && response.status < 400) return `${response.status} to ${response.headers.get('location') ?? 'somewhere'}`;
  return null;
}

async function getRefused(url: string, headers: Record<string, string>): Promise<{ response: Response; refused: string | null }> {
  try {
    const response = await send(url, { headers });
    return { response, refused: refusal(response) };
  } catch (error) {
    throw new CheckFailed(`${url}: ${noAnswer(error)}`, 'Check the address given and that the deployment is running.');
  }
}

/** The employee API through the site, with no sign-in: the route rule (and the API itself) must refuse it. */
export async function manageRefusesAnonymous(site: string) {
  const url = `${site}/api/manage/overview`;
  const { response, refused } = await getRefused(url, {});
  if (refused) return { saw: `GET /api/manage/overview without sign-in was refused (${refused})` };
  const saw = `GET /api/manage/overview without sign-in ${await answered(response)}`;
  if (response.ok) {
    throw new CheckFailed(saw, 'Deploy the site again (azd deploy web) so that staticwebapp.config.json\'s /api/manage/* rule is live, and the current API with it.');
  }
  throw new CheckFailed(saw, `Open ${url} in a private browser window: it should ask you to sign in.`);
}

/** What Static Web Apps would send for a signed-in admin; anyone can write it. */
function forgedAdminPrincipal(): string {
  const principal = { identityProvider: 'aad', userId: 'smoke-forged', userDetails: 'forged@smoke.invalid', userRoles: ['admin', 'authenticated'] };
  return Buffer.from(JSON.stringify(principal)).toString('base64');
}

/**
 * The API trusts x-ms-client-principal because only Static Web Apps can reach it: linking the Function
 * App as the site's backend turns on its authentication so that other callers are refused. Sent
 * straight to the Function App, a forged admin principal must therefore get 401/403, never data.
 */
export async function functionAppRefusesForgedPrincipal(api: string) {
  const { response, refused } = await getRefused(`${api}/api/manage/overview`, { 'x-ms-client-principal': forgedAdminPrincipal() });
  if (refused) return { saw: `a forged admin x-ms-client-principal sent straight to the Function App was refused (${refused})` };
  if (response.ok) {
    throw new CheckFailed(
      `the Function App accepted a forged admin x-ms-client-principal (${response.status}): anyone can act as an employee`,
      'Stop the Function App now (az functionapp stop). Its authentication must refuse callers that do not come through the site: azd provision links it again and its postprovision hook reads the result back (infra/scripts/postprovision.mjs). Static Web Apps documents linked Functions backends on Consumption, Premium and Dedicated plans, not Flex Consumption, so the link may not lock this one.',
    );
  }
  throw new CheckFailed(
    `a forged admin x-ms-client-principal sent straight to the Function App ${await answered(response)}, neither refused (401/403) nor served`,
    'Check the Function App\'s authentication (node infra/scripts/postprovision.mjs reads it): the Static Web App must be its identity provider, and unauthenticated requests refused.',
  );
}
