import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { fakeAzCalls, fakeAzEnv, installFakeAz, type FakeAzAnswer } from '../support/fakeAz.js';

// Runs the real azd postprovision hook (infra/scripts/postprovision.mjs) with a fake `az` first on
// PATH, answering like the Web Apps - Get Auth Settings V2 and Get App Setting Key Vault Reference
// responses.

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SCRIPT = join(ROOT, 'infra', 'scripts', 'postprovision.mjs');
const work = mkdtempSync(join(tmpdir(), 'postprovision-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const withAz = installFakeAz(join(work, 'with-az'));

const SITE = '/subscriptions/sub-1/resourceGroups/rg-shop/providers/Microsoft.Web/sites/func-api-abc';
/** What linking the Function App to the Static Web App writes into its authentication settings. */
const lockedDown = {
  properties: {
    platform: { enabled: true },
    globalValidation: { requireAuthentication: true, unauthenticatedClientAction: 'Return401' },
    identityProviders: { azureStaticWebApps: { enabled: true, registration: { clientId: 'stapp-abc.azurestaticapps.net' } } },
  },
};
const reference = (status: string, details?: string) => ({
  json: { id: `${SITE}/config/configreferences/appsettings/MONGODB_URI`, properties: { reference: '@Microsoft.KeyVault(...)', status, ...(details ? { details } : {}) } },
});

let run = 0;
function postprovision(answers: { auth?: FakeAzAnswer; reference?: FakeAzAnswer | FakeAzAnswer[] }, env: Record<string, string> = {}) {
  run += 1;
  const log = join(work, `calls-${run}.log`);
  const fake = fakeAzEnv(join(work, `responses-${run}.json`), log, {
    'account show': { json: { id: 'sub-1' } },
    [`rest get ${SITE}/config/authsettingsV2`]: answers.auth ?? { json: lockedDown },
    [`rest get ${SITE}/config/configreferences/appsettings/MONGODB_URI`]: answers.reference ?? reference('Resolved'),
    'functionapp config appsettings set': { json: [] },
  });
  const result = spawnSync(process.execPath, [SCRIPT], {
    cwd: ROOT,
    encoding: 'utf8',
    env: {
      PATH: withAz,
      AZURE_SUBSCRIPTION_ID: 'sub-1',
      AZURE_RESOURCE_GROUP: 'rg-shop',
      AZURE_FUNCTION_APP_NAME: 'func-api-abc',
      AZURE_STATIC_WEB_APP_NAME: 'stapp-abc',
      AZURE_KEY_VAULT_NAME: 'kv-abc',
      POSTPROVISION_WAIT_SECONDS: '0',
      ...fake,
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: fakeAzCalls(log) };
}

describe('the azd postprovision hook', () => {
  it('runs after provisioning and before any deploy, on every platform', () => {
    const { hooks } = parseYaml(readFileSync(join(ROOT, 'azure.yaml'), 'utf8')) as { hooks: Record<string, Record<string, { run: string }>> };
    expect(hooks.postprovision?.posix?.run).toBe('node infra/scripts/postprovision.mjs');
    expect(hooks.postprovision?.windows?.run).toBe('node infra/scripts/postprovision.mjs\nexit $LASTEXITCODE\n');
  });

  it('lets the deploy go on when the Function App is locked to the site and MONGODB_URI resolves', () => {
    const result = postprovision({});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('refuses callers that go around the site, and MONGODB_URI resolves from Key Vault');
    expect(result.calls).toContainEqual(['rest', '--method', 'get', '--url', `${SITE}/config/authsettingsV2?api-version=2024-04-01`, '--output', 'json', '--only-show-errors']);
    expect(result.calls.some((args) => args.includes('appsettings'))).toBe(false);
  });

  it('stops before any code is deployed when the Function App answers callers that go around the site', () => {
    const open = { json: { properties: { platform: { enabled: false }, globalValidation: { requireAuthentication: false }, identityProviders: {} } } };
    const result = postprovision({ auth: open });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('postprovision: stopped before deploying any code.');
    expect(result.stderr).toContain(
      'The Function App func-api-abc answers callers that go around the Static Web App (authentication is off; unauthenticated requests are allowed; the Static Web App is not its identity provider).',
    );
    expect(result.stderr).toContain('not Flex Consumption');
    expect(result.stderr).toContain('az functionapp stop --name func-api-abc --resource-group rg-shop');
  });

  it('nudges an unresolved Key Vault reference with a settings change, and goes on once it resolves', () => {
    const result = postprovision({ reference: [reference('AccessToKeyVaultDenied'), reference('AccessToKeyVaultDenied'), reference('Resolved')] });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('the MONGODB_URI Key Vault reference is AccessToKeyVaultDenied; changing KEY_VAULT_REFERENCES_RENEWED');
    expect(result.stdout).toContain('is resolved now');
    const nudge = result.calls.find((args) => args.join(' ').startsWith('functionapp config appsettings set'));
    expect(nudge).toEqual(expect.arrayContaining(['--name', 'func-api-abc', '--resource-group', 'rg-shop', '--subscription', 'sub-1']));
    expect(nudge?.find((arg) => arg.startsWith('KEY_VAULT_REFERENCES_RENEWED='))).toMatch(/^KEY_VAULT_REFERENCES_RENEWED=\d{4}-\d\d-\d\dT/);
  });

  it('stops with the reason when the reference stays unresolved', () => {
    const result = postprovision({ reference: reference('AccessToKeyVaultDenied', 'Key Vault reference was not able to be resolved because site was denied access') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('The Function App cannot read MONGODB_URI from Key Vault: the reference is AccessToKeyVaultDenied (Key Vault reference was not able to be resolved');
    expect(result.stderr).toContain('Key Vault Secrets User on kv-abc');
  });

  it('warns and lets azd go on when az is missing or signed out, or when told to skip', () => {
    const missing = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { PATH: join(work, 'nothing') } });
    expect(missing.status).toBe(0);
    expect(missing.stderr).toContain('the Azure CLI is not installed');
    const skipped = postprovision({}, { POSTPROVISION_CHECKS: 'false' });
    expect(skipped.status).toBe(0);
    expect(skipped.calls).toEqual([]);
  });
});
