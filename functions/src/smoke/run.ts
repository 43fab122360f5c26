import {
  acceptsOrder,
  catalog,
  CheckFailed,
  functionAppRefusesForgedPrincipal,
  manageRefusesAnonymous,
  paidFor,
  paymentProvider,
  reachesPending,
} from './checks.js';
import { readOptions, USAGE, UsageError, type SmokeOptions } from './options.js';
import { ADMIN_REMINDER, aiDescribes, aiDraws, cancelsOwnOrder, pictureStoreAnswers, refunded } from './probes.js';
import { createContentWriter } from '../adapters/ai/contentWriter.js';
import { readAiConfig } from '../config.js';

/**
 * `npm run smoke -- --site URL [--api URL]`: checks a running store end to end, one line per check.
 * Exit code 0 when every check passed, 1 when one failed, 2 for bad arguments. azd runs it after
 * every deploy (azure.yaml's postdeploy hook), so a deployment that does not work fails `azd up`.
 */
async function smoke(options: SmokeOptions): Promise<number> {
  let failed = 0;
  let ran = 0;
  const progress = (message: string) => console.error(`...  ${message}`);

  async function check<T extends { saw: string }>(name: string, run: () => Promise<T>): Promise<T | undefined> {
    ran += 1;
    try {
      const result = await run();
      console.log(`ok   ${name}: ${result.saw}`);
      return result;
    } catch (error) {
      if (!(error instanceof CheckFailed)) throw error;
      failed += 1;
      console.log(`FAIL ${name}: ${error.saw}. To fix: ${error.fix}`);
      return undefined;
    }
  }
  const skip = (name: string, why: string) => console.log(`skip ${name}: ${why}`);

  const { site, api, timeoutMs } = options;
  const shop = await check('catalog', () => catalog(site, timeoutMs, progress));
  // Only the demo provider is paid: it moves no money. With Stripe the order waits unpaid and is cancelled.
  const provider = shop ? await paymentProvider(site) : 'unknown';
  const pay = provider === 'demo';
  const order = shop ? await check('order', () => acceptsOrder(site, shop.products, timeoutMs, progress, pay)) : undefined;
  if (!shop) skip('order', 'no product to order');
  const paid = order && pay ? await check('payment', async () => paidFor(order.order)) : undefined;
  if (!order) skip('payment', 'no order placed');
  else if (!pay) skip('payment', `the store takes payments through ${provider}; the check pays only the demo provider, which moves no money`);
  if (paid) await check('pending', () => reachesPending(site, order!.orderId, timeoutMs, progress));
  else skip('pending', order ? 'the order is not paid' : 'no order placed');
  // Leaves nothing behind: the order is cancelled whatever became of it, so it holds no stock.
  const cleanup = order ? await check('cleanup', () => cancelsOwnOrder(site, order.orderId)) : undefined;
  if (!order) skip('cleanup', 'no order placed');
  if (paid && cleanup) await check('refund', async () => refunded(cleanup.order));
  else skip('refund', paid ? 'the order was not cancelled' : 'the order was not paid');
  await check('pictures', () => pictureStoreAnswers(site));
  // The models the API calls, when the deployment has any (AZURE_OPENAI_* are azd outputs).
  const ai = readAiConfig(process.env);
  if (ai.provider === 'off') {
    skip('ai description', ai.reason);
    skip('ai picture', ai.reason);
  } else {
    const writer = createContentWriter(ai);
    const { description, image } = writer.capabilities();
    if (description.available) await check('ai description', () => aiDescribes(writer));
    else skip('ai description', description.reason ?? 'not available');
    if (image.available) await check('ai picture', () => aiDraws(writer));
    else skip('ai picture', image.reason ?? 'not available');
  }
  await check('manage', () => manageRefusesAnonymous(site));
  if (api) await check('forged principal', () => functionAppRefusesForgedPrincipal(api));
  else skip('forged principal', 'no --api address given');

  console.log(ADMIN_REMINDER);
  console.log(failed === 0 ? `smoke: all ${ran} checks passed on ${site}` : `smoke: ${failed} of ${ran} checks failed on ${site}`);
  return failed === 0 ? 0 : 1;
}

function main(): Promise<number> {
  let options: SmokeOptions | null;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`smoke: ${error.message}\n${USAGE}`);
    return Promise.resolve(2);
  }
  if (!options) {
    console.log(USAGE);
    return Promise.resolve(0);
  }
  return smoke(options);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error('smoke: the check itself broke:', error);
    process.exitCode = 1;
  },
);
