import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fakeAzCalls, fakeAzEnv, installFakeAz } from '../support/fakeAz.js';

// Runs the real azd preprovision hook (infra/scripts/preprovision.mjs) with a fake `az` first on
// PATH (fakeAz.ts), answering like the Models - List, Deleted Vaults, Deleted Accounts, Flex
// Consumption and Usages responses.

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'infra', 'scripts', 'preprovision.mjs');
const work = mkdtempSync(join(tmpdir(), 'preprovision-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const withAz = installFakeAz(join(work, 'with-az'));
const withoutAz = join(work, 'without-az');
mkdirSync(withoutAz);

/** One entry of `az cognitiveservices model list`, as the Models - List API returns it. */
const offered = (name: string, version: string, skus = ['GlobalStandard'], kind = 'OpenAI') => ({
  kind,
  skuName: 'S0',
  model: {
    format: 'OpenAI',
    name,
    version,
    lifecycleStatus: 'GenerallyAvailable',
    capabilities: { chatCompletion: 'true' },
    skus: skus.map((sku) => ({ name: sku, usageName: `OpenAI.${sku}.${name}`, capacity: { default: 10, maximum: 1000 } })),
  },
});

const currentModels = [
  offered('gpt-5.4-mini', '2026-03-17', ['GlobalStandard', 'DataZoneStandard']),
  offered('gpt-image-2', '2026-04-21'),
  offered('gpt-4o-mini', '2024-07-18', ['Standard']),
];

const deletedVault = (name: string, resourceGroup: string, location: string) => ({
  id: `/subscriptions/sub-1/providers/Microsoft.KeyVault/locations/${location}/deletedVaults/${name}`,
  name,
  type: 'Microsoft.KeyVault/deletedVaults',
  properties: {
    vaultId: `/subscriptions/sub-1/resourceGroups/${resourceGroup}/providers/Microsoft.KeyVault/vaults/${name}`,
    location,
    tags: {},
    deletionDate: '2026-11-24T10:00:00Z',
    scheduledPurgeDate: '2026-12-01T10:00:00Z',
    purgeProtectionEnabled: false,
  },
});

const deletedAccount = (name: string, resourceGroup: string, location: string) => ({
  id: `/subscriptions/sub-1/providers/Microsoft.CognitiveServices/locations/${location}/resourceGroups/${resourceGroup}/deletedAccounts/${name}`,
  name,
  type: 'Microsoft.CognitiveServices/accounts',
  location,
  kind: 'OpenAI',
  tags: {},
});

/** One entry of `az cognitiveservices usage list` (the Usages - List API). */
const usage = (name: string, currentValue: number, limit: number) => ({ name: { value: name, localizedValue: name }, currentValue, limit, unit: 'Count' });
const freeQuota = [usage('OpenAI.GlobalStandard.gpt-5.4-mini', 0, 500), usage('OpenAI.GlobalStandard.gpt-image-2', 0, 5)];

interface Answers {
  models?: unknown[];
  vaults?: unknown[];
  accounts?: unknown[];
  signedIn?: boolean;
  /** az functionapp list-flexconsumption-locations */
  flexLocations?: unknown[];
  /** az functionapp list-flexconsumption-runtimes --runtime node */
  nodeRuntimes?: unknown[];
  usages?: unknown[];
  /** This environment's Azure OpenAI accounts and their deployments; none by default (rg-shop does not exist). */
  ownAccounts?: unknown[];
  ownDeployments?: unknown[];
}

let run = 0;
function preprovision(answers: Answers, env: Record<string, string> = {}, path = withAz) {
  run += 1;
  const responses = join(work, `responses-${run}.json`);
  const log = join(work, `calls-${run}.log`);
  const fake = fakeAzEnv(responses, log, {
      'account show':
        answers.signedIn === false
          ? { status: 1, stderr: "ERROR: Please run 'az login' to setup account." }
          : { json: { id: 'sub-1', name: 'Demo', user: { name: 'dev@example.com' } } },
      'cognitiveservices model list': { json: answers.models ?? currentModels },
      'keyvault list-deleted': { json: answers.vaults ?? [] },
      'cognitiveservices account list-deleted': { json: answers.accounts ?? [] },
      'functionapp list-flexconsumption-locations': { json: answers.flexLocations ?? [{ name: 'eastus' }, { name: 'eastus2' }, { name: 'swedencentral' }] },
      'functionapp list-flexconsumption-runtimes': { json: answers.nodeRuntimes ?? [{ name: 'node', version: '20' }, { name: 'node', version: '22' }] },
      'cognitiveservices usage list': { json: answers.usages ?? freeQuota },
      'cognitiveservices account list': answers.ownAccounts
        ? { json: answers.ownAccounts }
        : { status: 3, stderr: "ERROR: (ResourceGroupNotFound) Resource group 'rg-shop' could not be found." },
      'cognitiveservices account deployment list': { json: answers.ownDeployments ?? [] },
  });
  const result = spawnSync(process.execPath, [SCRIPT], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      PATH: path,
      AZURE_ENV_NAME: 'shop',
      AZURE_LOCATION: 'eastus2',
      AZURE_SUBSCRIPTION_ID: 'sub-1',
      ...fake,
      ...env,
    },
  });
  const calls = fakeAzCalls(log);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

describe('the azd preprovision hook', () => {
  it('is wired into azure.yaml on every platform', () => {
    const { hooks } = parseYaml(readFileSync(join(ROOT, 'azure.yaml'), 'utf8')) as { hooks: Record<string, Record<string, { run: string }>> };
    expect(hooks.preprovision?.posix?.run).toBe('node infra/scripts/preprovision.mjs');
    // pwsh would end with the status of its last cmdlet, not the script's: the exit code is passed on.
    expect(hooks.preprovision?.windows?.run).toBe('node infra/scripts/preprovision.mjs\nexit $LASTEXITCODE\n');
  });

  it('lets provisioning go on when the models are offered and no deleted resource holds our names', () => {
    const result = preprovision({
      vaults: [deletedVault('kv-other', 'rg-someone-else', 'eastus2'), deletedVault('kv-old', 'rg-shop', 'westus')],
      accounts: [deletedAccount('oai-other', 'rg-someone-else', 'swedencentral')],
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('gpt-5.4-mini 2026-03-17 and gpt-image-2 2026-04-21 are offered in swedencentral');
    const modelList = result.calls.find((args) => args.slice(0, 3).join(' ') === 'cognitiveservices model list');
    expect(modelList).toEqual(expect.arrayContaining(['--location', 'swedencentral', '--subscription', 'sub-1']));
  });

  it('stops before anything is created when a model version is not offered in the region, naming the azd env set that fixes it', () => {
    const result = preprovision(
      { models: [offered('gpt-5.4-mini', '2026-03-17'), offered('gpt-image-2', '2026-09-30'), offered('gpt-image-2', '2026-04-21', ['GlobalStandard'], 'AIServices')] },
      { AZURE_OPENAI_LOCATION: 'westeurope' },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The image model gpt-image-2 version 2026-04-21 is not offered for Azure OpenAI in westeurope (versions of gpt-image-2 offered there: 2026-09-30)');
    expect(result.stderr).toContain('azd env set AZURE_OPENAI_IMAGE_MODEL_VERSION 2026-09-30');
    expect(result.stderr).toContain('azd env set AZURE_OPENAI_LOCATION <a region that offers it');
    expect(result.stderr).toContain('azd env set DEPLOY_OPENAI false');
    expect(result.stderr).not.toContain('The chat model');
  });

  it('checks the models chosen with azd env set, and the deployment SKU the region offers them as', () => {
    const result = preprovision({}, { AZURE_OPENAI_CHAT_MODEL: 'gpt-4o-mini', AZURE_OPENAI_CHAT_MODEL_VERSION: '2024-07-18' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The chat model gpt-4o-mini version 2024-07-18 is offered in swedencentral, but not as a GlobalStandard deployment (offered: Standard)');
    expect(result.stderr).toContain('azd env set AZURE_OPENAI_CHAT_SKU Standard');
  });

  it('stops when the region offers no Flex Consumption, or not Node.js 22 on it, naming the azd env set that fixes it', () => {
    const noFlex = preprovision({ flexLocations: [{ name: 'eastus' }, { name: 'swedencentral' }] }, { AZURE_LOCATION: 'westindia' });
    expect(noFlex.status).toBe(1);
    expect(noFlex.stderr).toContain("The Function App's region westindia does not offer the Flex Consumption plan.");
    expect(noFlex.stderr).toContain('azd env set AZURE_LOCATION <one of: eastus, swedencentral>');

    const noNode22 = preprovision({ nodeRuntimes: [{ name: 'node', version: '20' }] });
    expect(noNode22.status).toBe(1);
    expect(noNode22.stderr).toContain('Flex Consumption in eastus2 does not run Node.js 22, which the app needs (there: 20)');
    const runtimes = noNode22.calls.find((args) => args[1] === 'list-flexconsumption-runtimes');
    expect(runtimes).toEqual(expect.arrayContaining(['--location', 'eastus2', '--runtime', 'node']));
  });

  it('stops when the subscription lacks the Azure OpenAI quota a deployment asks for, counting back what this environment already holds', () => {
    const short = preprovision({ usages: [usage('OpenAI.GlobalStandard.gpt-5.4-mini', 495, 500), usage('OpenAI.GlobalStandard.gpt-image-2', 0, 5)] });
    expect(short.status).toBe(1);
    expect(short.stderr).toContain(
      'The chat deployment asks for 10 units of GlobalStandard gpt-5.4-mini quota in swedencentral, and the subscription has 5 free (limit 500, in use 495).',
    );
    expect(short.stderr).toContain('azd env set AZURE_OPENAI_CHAT_CAPACITY 5');
    expect(short.stderr).not.toContain('The image deployment');

    // A second azd provision: our own chat deployment holds 10 of the 495 in use.
    const again = preprovision({
      usages: [usage('OpenAI.GlobalStandard.gpt-5.4-mini', 495, 500), usage('OpenAI.GlobalStandard.gpt-image-2', 1, 5)],
      ownAccounts: [{ name: 'oai-3kq2v7xw4mzlc' }],
      ownDeployments: [{ name: 'chat', sku: { name: 'GlobalStandard', capacity: 10 }, properties: { model: { format: 'OpenAI', name: 'gpt-5.4-mini', version: '2026-03-17' } } }],
    });
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(again.calls).toContainEqual(expect.arrayContaining(['cognitiveservices', 'account', 'deployment', 'list', '--resource-group', 'rg-shop', '--name', 'oai-3kq2v7xw4mzlc']));
  });

  it('stops on a soft-deleted Key Vault of this environment and prints the purge command', () => {
    const result = preprovision({ vaults: [deletedVault('kv-3kq2v7xw4mzlc', 'rg-shop', 'eastus2'), deletedVault('kv-other', 'rg-other', 'eastus2')] });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Key Vault kv-3kq2v7xw4mzlc (eastus2) is soft-deleted');
    expect(result.stderr).toContain('az keyvault purge --name kv-3kq2v7xw4mzlc --location eastus2 --subscription sub-1');
    expect(result.stderr).toContain('azd env new <another name>');
    expect(result.stderr).not.toContain('kv-other');
  });

  it('stops on a soft-deleted Azure OpenAI account of this environment and prints the purge command', () => {
    const result = preprovision({ accounts: [deletedAccount('oai-3kq2v7xw4mzlc', 'rg-shop', 'swedencentral')] });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('Azure OpenAI account oai-3kq2v7xw4mzlc (swedencentral) is soft-deleted');
    expect(result.stderr).toContain(
      'az cognitiveservices account purge --name oai-3kq2v7xw4mzlc --resource-group rg-shop --location swedencentral --subscription sub-1',
    );
  });

  it('checks no model and no Azure OpenAI name with DEPLOY_OPENAI=false, but still the Key Vault', () => {
    const result = preprovision(
      { models: [], accounts: [deletedAccount('oai-3kq2v7xw4mzlc', 'rg-shop', 'swedencentral')] },
      { DEPLOY_OPENAI: 'false' },
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('DEPLOY_OPENAI=false');
    expect(result.calls.map((args) => args.slice(0, 2).join(' '))).toEqual([
      'account show',
      'functionapp list-flexconsumption-locations',
      'functionapp list-flexconsumption-runtimes',
      'keyvault list-deleted',
    ]);

    const vault = preprovision({ vaults: [deletedVault('kv-3kq2v7xw4mzlc', 'rg-shop', 'eastus2')] }, { DEPLOY_OPENAI: 'false' });
    expect(vault.status).toBe(1);
  });

  it('warns and lets provisioning go on when az is missing or signed out, since azd itself does not need it', () => {
    const missing = preprovision({}, {}, withoutAz);
    expect(missing.status).toBe(0);
    expect(missing.stderr).toContain('the Azure CLI (az) is not installed');
    expect(missing.calls).toEqual([]);

    const signedOut = preprovision({ signedIn: false, models: [] });
    expect(signedOut.status).toBe(0);
    expect(signedOut.stderr).toContain('run az login');
    expect(signedOut.calls.map((args) => args.slice(0, 2).join(' '))).toEqual(['account show']);
  });

  it('stops, without asking az, when Stripe is chosen without all of its keys, naming the azd env set for each one', () => {
    const result = preprovision({}, { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_1' }, withoutAz);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('PAYMENT_PROVIDER is stripe, but STRIPE_WEBHOOK_SECRET, STRIPE_PUBLISHABLE_KEY are not set');
    expect(result.stderr).toContain('azd env set STRIPE_WEBHOOK_SECRET <its value from the Stripe Dashboard>');
    expect(result.stderr).toContain('azd env set STRIPE_PUBLISHABLE_KEY <its value from the Stripe Dashboard>');
    expect(result.stderr).not.toContain('STRIPE_SECRET_KEY <');

    const complete = preprovision({}, { PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_PUBLISHABLE_KEY: 'pk_test_1' }, withoutAz);
    expect(complete.status).toBe(0);
    expect(preprovision({}, { STRIPE_SECRET_KEY: '' }, withoutAz).status).toBe(0);
  });
});
