import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { createProduct } from '../support/localHost.js';
import { useStack } from '../support/storeStack.js';
import { describeOnStripeMock } from '../support/stripeMock.js';
import { startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi.js';

/** What `npm run smoke` runs once the build has compiled it. */
const SMOKE_ENTRY = resolve('dist/smoke/run.js');

interface SmokeRun {
  code: number;
  /** The check lines (ok/FAIL/skip) and the summary. */
  stdout: string;
  stderr: string;
}

async function run(file: string, args: string[], env: Record<string, string> = {}): Promise<SmokeRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, { timeout: 50_000, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

/** No AI settings reach the check but those a test gives it. */
const NO_AI = { OPENAI_BASE_URL: '', AZURE_OPENAI_ENDPOINT: '', AZURE_OPENAI_CHAT_DEPLOYMENT: '', AZURE_OPENAI_IMAGE_DEPLOYMENT: '' };
const smoke = (...args: string[]) => run(process.execPath, [SMOKE_ENTRY, ...args], NO_AI);
const smokeWith = (env: Record<string, string>, ...args: string[]) => run(process.execPath, [SMOKE_ENTRY, ...args], { ...NO_AI, ...env });

describe('npm run smoke: the post-deploy check, against the local stack', () => {
  // No seeding, so that the empty catalog can be seen; no virtual actors, so that the order's
  // status and the stock are the check's alone.
  const stack = useStack({ SEED_CATALOG: 'false', VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0', VIRTUAL_WORKER_ORDERS_PER_HOUR: '0' });
  // The models the check probes: the same settings the API reads, here an OpenAI-compatible fake.
  let fake: FakeOpenAi;
  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(() => fake?.close());
  beforeEach(() => fake.reset());
  const ai = () => ({ OPENAI_BASE_URL: fake.baseUrl, OPENAI_CHAT_MODEL: 'fake-chat', OPENAI_IMAGE_MODEL: 'fake-image' });

  it('fails the catalog check on an empty store, saying what to do, and still checks the employee API', async () => {
    const run = await smoke('--site', stack().base, '--timeout', '2');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL catalog: GET \/api\/products: the catalog is empty after 2 s\. To fix: .*add products on the admin page/m);
    expect(run.stdout).toMatch(/^skip order: /m);
    expect(run.stdout).toMatch(/^skip pending: /m);
    expect(run.stdout).toMatch(/^skip cleanup: no order placed$/m);
    expect(run.stdout).toMatch(/^ok {3}pictures: GET \/api\/images\/smoke-absent-\S+ looked in the picture store and found nothing/m);
    expect(run.stdout).toMatch(/^skip ai description: AI is not configured/m);
    expect(run.stdout).toMatch(/^skip ai picture: AI is not configured/m);
    expect(run.stdout).toMatch(/^ok {3}manage: GET \/api\/manage\/overview without sign-in was refused \((401|302 to \S*\/\.auth\/login)/m);
    expect(run.stdout).toMatch(/^note admin: \/admin needs the admin role, which nobody has on a new deployment; invite yourself as docs\/deploy\.md says \(Giving someone the admin role\)$/m);
    // The section the reminder names is there, with the steps.
    expect(readFileSync(resolve('docs/deploy.md'), 'utf8')).toMatch(/^### Giving someone the admin role\n[\s\S]*az staticwebapp users invite[\s\S]*--roles admin --invitation-expiration-in-hours 168/m);
    expect(run.stdout).toMatch(/^smoke: 1 of 3 checks failed/m);
  });

  it('passes on a store with a product and AI: the catalog, an order that reaches pending and is cancelled, pictures, AI, the refused employee API', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Smoke Lamp', stock: 5 });
    const run = await smokeWith(ai(), '--site', `${stack().base}/`);
    expect(run.stdout).toMatch(/^ok {3}catalog: 1 product$/m);
    const placed = /^ok {3}order: placed (\S+) for 1 × Smoke Lamp \(202\)$/m.exec(run.stdout);
    expect(placed).not.toBeNull();
    expect(run.stdout).toMatch(/^ok {3}payment: paid with the demo provider's test card \(visa 4242\), no money taken$/m);
    expect(run.stdout).toMatch(new RegExp(`^ok {3}pending: order ${placed![1]} reached pending in \\d+ s$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^ok {3}cleanup: cancelled its order ${placed![1]}: its unit is back in stock$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^ok {3}refund: order ${placed![1]} refunded \\d+\\.\\d\\d USD$`, 'm'));
    expect(run.stdout).toMatch(/^ok {3}pictures: /m);
    expect(run.stdout).toMatch(/^ok {3}ai description: a \d+-character description in [\d.]+ s$/m);
    expect(run.stdout).toMatch(/^ok {3}ai picture: a image\/png picture of \d+ bytes in [\d.]+ s \(kept nowhere\)$/m);
    expect(run.stdout).toMatch(/^ok {3}manage: /m);
    expect(run.stdout).toMatch(/^skip forged principal: no --api address given$/m);
    expect(run.stdout).toMatch(/^note admin: /m);
    expect(run.stdout).toMatch(/^smoke: all 10 checks passed/m);
    expect(run.code).toBe(0);
    // One chat call and one picture, nothing more.
    expect(fake.requests.map((request) => request.endpoint)).toEqual(['chat', 'image']);

    // The order was real, and is gone again: cancelled, its unit back in stock, no picture stored.
    const order = (await (await fetch(`${stack().base}/api/orders/${placed![1]}`)).json()) as { status: string; payment: { status: string } };
    expect(order.status).toBe('cancelled');
    expect(order.payment.status).toBe('refunded');
    const after = (await (await fetch(`${stack().base}/api/products/${product.id}`)).json()) as { stock: number };
    expect(after.stock).toBe(5);
  });

  it('fails the AI checks with what to do when the model does not answer in time', async () => {
    await createProduct(stack().apiBase, { name: 'Slow Lamp', stock: 5 });
    fake.always('image', { reply: 'hang' });
    const run = await smokeWith({ ...ai(), AI_TIMEOUT_MS: '1000' }, '--site', stack().base);
    expect(run.stdout).toMatch(/^FAIL ai picture: picture: ai_timeout: .+ To fix: The model took longer than the 40 s an admin request may take/m);
    expect(run.code).toBe(1);
  });

  it('fails when the API can be reached around the site and believes a forged admin principal', async () => {
    // The local host trusts x-ms-client-principal from anyone, as a Function App without its
    // Static Web App link would.
    await createProduct(stack().apiBase, { name: 'Forgery Lamp', stock: 5 });
    const run = await smoke('--site', stack().base, '--api', stack().apiBase);
    expect(run.stdout).toMatch(/^ok {3}pending: /m);
    expect(run.stdout).toMatch(
      /^FAIL forged principal: the Function App accepted a forged admin x-ms-client-principal \(200\): anyone can act as an employee\. To fix: Stop the Function App now \(az functionapp stop\)\. .*postprovision\.mjs.*not Flex Consumption/m,
    );
    expect(run.stdout).toMatch(/^smoke: 1 of 9 checks failed/m);
    expect(run.code).toBe(1);
  });

  it('refuses bad arguments with the usage and exit code 2', async () => {
    for (const args of [[], ['--site', 'not a url'], ['--site', stack().base, '--timeout', 'soon'], ['--site', stack().base, '--sight', 'x']]) {
      const run = await smoke(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/^smoke: .+\nUsage: npm run smoke -- --site URL/);
      expect(run.stdout).toBe('');
    }
  });

  it("runs after every azd deploy with the environment's outputs, and fails the deploy when a check fails", async () => {
    // Bicep outputs become azd environment values, which azd hands its hooks as environment variables.
    const main = readFileSync(resolve('infra/main.bicep'), 'utf8');
    expect(main).toMatch(/^output WEB_URL string = web\.outputs\.uri$/m);
    expect(main).toMatch(/^output API_FUNCTION_URL string = api\.outputs\.uri$/m);
    const { hooks } = parseYaml(readFileSync(resolve('azure.yaml'), 'utf8')) as { hooks: { postdeploy: Record<string, { shell: string; run: string }> } };
    expect(hooks.postdeploy.windows!.run).toMatch(/node dist\/smoke\/run\.js "--site=\$env:WEB_URL" "--api=\$env:API_FUNCTION_URL"/);
    expect(hooks.postdeploy.windows!.run).toMatch(/exit \$LASTEXITCODE\s*$/);

    // The posix hook as azd runs it, with outputs naming the local stack: its host answers a
    // forged principal, so the hook must fail.
    await createProduct(stack().apiBase, { name: 'Hook Lamp', stock: 5 });
    const { shell, run: script } = hooks.postdeploy.posix!;
    const hook = await run(shell, ['-c', script], { ...NO_AI, WEB_URL: stack().base, API_FUNCTION_URL: stack().apiBase });
    expect(hook.stdout).toMatch(/^ok {3}catalog: /m);
    expect(hook.stdout).toMatch(/^ok {3}pending: /m);
    expect(hook.stdout).toMatch(/^FAIL forged principal: the Function App accepted a forged admin .*To fix: Stop the Function App now/m);
    expect(hook.code).toBe(1);
  });
});

describeOnStripeMock('npm run smoke against a store that takes payments through Stripe (stripe-mock)', (mock) => {
  const env: Record<string, string> = {
    SEED_CATALOG: 'false',
    VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '0',
    VIRTUAL_WORKER_ORDERS_PER_HOUR: '0',
    PAYMENT_PROVIDER: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_bestbuy',
    STRIPE_WEBHOOK_SECRET: 'whsec_test_bestbuy_smoke',
    STRIPE_PUBLISHABLE_KEY: 'pk_test_bestbuy',
  };
  // stripe-mock is up before the stack starts (its beforeAll comes first), on a port known only then.
  beforeAll(() => {
    env.STRIPE_API_URL = mock().url.href;
  });
  const stack = useStack(env);

  it('says it skipped the payment, moves no money, and leaves no order holding stock', async () => {
    const product = await createProduct(stack().apiBase, { name: 'Stripe Smoke Lamp', stock: 5 });
    const run = await smoke('--site', stack().base);
    expect(run.stdout).toMatch(/^skip payment: the store takes payments through stripe; the check pays only the demo provider, which moves no money$/m);
    const placed = /^ok {3}order: placed (\S+) for 1 × Stripe Smoke Lamp \(202\)$/m.exec(run.stdout);
    expect(placed, run.stdout).not.toBeNull();
    expect(run.stdout).toMatch(new RegExp(`^ok {3}cleanup: cancelled its order ${placed![1]}`, 'm'));
    expect(run.stdout).not.toMatch(/^FAIL /m);
    const order = (await (await fetch(`${stack().base}/api/orders/${placed![1]}`)).json()) as { status: string; payment: { status: string; attempts: number } };
    expect(order).toMatchObject({ status: 'cancelled', payment: { status: 'unpaid', attempts: 0 } });
    expect(((await (await fetch(`${stack().base}/api/products/${product.id}`)).json()) as { stock: number }).stock).toBe(5);
  });
});
