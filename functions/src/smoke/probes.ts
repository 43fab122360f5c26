import { randomUUID } from 'node:crypto';
import { StoreError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import type { ContentWriter } from '../ports.js';
import { answered, CheckFailed, json, noAnswer, send } from './checks.js';

/**
 * The checks beyond the order path: the picture store the API reads, the AI models, and leaving
 * nothing behind. Each answers { saw } or throws CheckFailed, as in checks.ts.
 */

/** Printed after every run: a new deployment has no employee, and nothing here can make one. */
export const ADMIN_REMINDER =
  'note admin: /admin needs the admin role, which nobody has on a new deployment; invite yourself as docs/deploy.md says (Giving someone the admin role)';

const elapsed = (started: number) => `${((Date.now() - started) / 1000).toFixed(1)} s`;

/**
 * A picture nobody stored, asked for through the site: the API must look in its store and answer
 * 404 image_not_found. A 5xx means it cannot read the store (its identity's Blob role, the container).
 */
export async function pictureStoreAnswers(site: string) {
  const id = `smoke-absent-${randomUUID().slice(0, 8)}`;
  const url = `${site}/api/images/${id}`;
  let response: Response;
  try {
    response = await send(url);
  } catch (error) {
    throw new CheckFailed(`GET /api/images/${id}: ${noAnswer(error)}`, `Open ${site}/api/health to see whether the API is up.`);
  }
  const body = await json<{ error?: { code?: string } }>(response.clone());
  if (response.status === 404 && body?.error?.code === 'image_not_found') {
    return { saw: `GET /api/images/${id} looked in the picture store and found nothing (404 image_not_found)` };
  }
  throw new CheckFailed(
    `GET /api/images/${id} ${await answered(response)}, not 404 image_not_found`,
    "The API cannot read its picture store: check the app identity's Storage Blob Data Owner role on the storage account and the product-images container (azd provision puts both back), and the API's log (Application Insights).",
  );
}

/** The check's own order, cancelled as its customer would: its unit goes back to stock. */
export async function cancelsOwnOrder(site: string, orderId: string) {
  const url = `${site}/api/orders/${orderId}/cancel`;
  let response: Response;
  try {
    response = await send(url, { method: 'POST', headers: { 'content-type': 'application/json' } });
  } catch (error) {
    throw new CheckFailed(`POST /api/orders/${orderId}/cancel: ${noAnswer(error)}`, `Cancel order ${orderId} on the admin page (/admin, Orders).`);
  }
  const order = response.ok ? await json<Order>(response.clone()) : undefined;
  if (order?.status === 'cancelled') return { saw: `cancelled its order ${orderId}: its unit is back in stock`, order };
  throw new CheckFailed(
    `POST /api/orders/${orderId}/cancel ${await answered(response)}`,
    `Cancel order ${orderId} on the admin page (/admin, Orders) so that it does not hold stock; a 409 means something moved it past pending first.`,
  );
}

/** The cancelled order's money went back through the provider, once. */
export function refunded(order: Order) {
  const refund = order.payment?.refund;
  if (order.payment?.status === 'refunded' && refund?.at) return { saw: `order ${order.orderId} refunded ${(refund.amountCents / 100).toFixed(2)} USD` };
  throw new CheckFailed(
    `order ${order.orderId} was cancelled but its payment is ${order.payment?.status ?? 'missing'}`,
    'The outbox sweeper retries a refund that did not go through: look at the order on the admin page in a minute, and at the API\'s log for the refund.',
  );
}

const aiFix = (error: StoreError): string => {
  if (error.code === 'ai_timeout') {
    return 'The model took longer than the 40 s an admin request may take behind the Static Web App: try again; if it keeps happening, pick a faster model or region (AZURE_OPENAI_IMAGE_MODEL, AZURE_OPENAI_LOCATION) and azd provision.';
  }
  if (/credentials|sign in/.test(error.message)) {
    return 'Sign in as the account that ran azd (azd auth login, az login): the template gives it, like the app, Cognitive Services OpenAI User on the account; a new role can take a few minutes to apply.';
  }
  return 'Check the deployments on the Azure OpenAI account (azd env get-value AZURE_OPENAI_ENDPOINT) and their quota; azd provision recreates them.';
};

async function probe<T>(label: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    throw new CheckFailed(`${label}: ${error.code}: ${error.message}`, aiFix(error));
  }
}

/**
 * One description and one picture, made as the API makes them (the same writer, v1 API, low
 * quality, the same 40 s budget), with the operator's own sign-in instead of the app's identity.
 */
export async function aiDescribes(writer: ContentWriter) {
  const started = Date.now();
  const text = await probe('description', () => writer.describe({ name: 'Smoke Check Desk Lamp', tags: ['lighting', 'desk'] }));
  return { saw: `a ${text.length}-character description in ${elapsed(started)}` };
}

export async function aiDraws(writer: ContentWriter) {
  const started = Date.now();
  const image = await probe('picture', () => writer.draw({ name: 'Smoke Check Desk Lamp', description: 'A small desk lamp with a warm glow.' }));
  return { saw: `a ${image.contentType} picture of ${image.bytes.length} bytes in ${elapsed(started)} (kept nowhere)` };
}
