import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEFAULT_AI_TIMEOUT_MS, LOCAL_ONLY_SETTINGS, readConfig, SETTING_NAMES } from '../../src/config.js';
import { definitions, usesDurableFunctions } from '../../src/definitions.js';
import { bicepParams, bicepRoleAssignments, bicepStringVariable, lintBicep, type Finding, type RequiredSetting } from '../support/bicepLint.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const INFRA = join(ROOT, 'infra');
const readYaml = (path: string) => parseYaml(readFileSync(join(ROOT, path), 'utf8')) as Record<string, any>;

/** Derived from the code: config.ts's settings, each trigger's connection, and the host's own storage. */
function requiredSettings(): RequiredSetting[] {
  // NAME and NAME__property are one connection (a secret or an identity endpoint): either satisfies it.
  const connectionBases = new Set(SETTING_NAMES.filter((name) => name.includes('__')).map((name) => name.split('__')[0]!));
  const cloudNames = new Set(
    SETTING_NAMES.filter((name) => !LOCAL_ONLY_SETTINGS.has(name)).map((name) => name.split('__')[0]!),
  );
  const fromConfig = [...cloudNames].map((name) => ({
    name,
    connection: connectionBases.has(name),
    readBy: 'functions/src/config.ts',
  }));
  const connections = definitions.flatMap((definition) =>
    definition.kind === 'serviceBusQueue'
      ? [{ name: definition.connection, connection: true, readBy: `the ${definition.name} trigger (definitions.ts)` }]
      : [],
  );
  // Timer triggers keep their schedule and singleton locks in the host's storage.
  const host = { name: 'AzureWebJobsStorage', connection: true, readBy: 'the Functions host (timer triggers)' };
  return [...fromConfig, ...connections, host];
}

const describeFindings = (findings: Finding[]) => findings.map((f) => `${f.rule} ${f.file}:${f.line} ${f.message}`).join('\n');

describe('infra/ Bicep', () => {
  it('parses, and passes every project rule, with every setting the code reads set on the Function App', async () => {
    const required = requiredSettings();
    expect(required.map((setting) => setting.name)).toEqual(
      expect.arrayContaining(['STORE_ADAPTERS', 'OUTBOX_RESEND_AFTER_SECONDS', 'ServiceBusConnection', 'AzureWebJobsStorage']),
    );
    const findings = await lintBicep({ dir: INFRA, requiredSettings: required });
    expect(describeFindings(findings)).toBe('');
  });

  it('allowlists as local-only only settings the code really reads', () => {
    const stale = [...LOCAL_ONLY_SETTINGS].filter((name) => !(SETTING_NAMES as readonly string[]).includes(name));
    expect(stale).toEqual([]);
  });

  it("gives the Service Bus queue the embedded queue's name and defaults", async () => {
    const queueNames = definitions.flatMap((d) => (d.kind === 'serviceBusQueue' ? [d.queueName] : []));
    expect(queueNames).toEqual([await bicepStringVariable(join(INFRA, 'main.bicep'), 'ordersQueueName')]);

    const embedded = readConfig({}).queue;
    const params = await bicepParams(join(INFRA, 'modules', 'servicebus.bicep'));
    expect({
      lockDurationMs: Number(params.get('lockDurationSeconds')?.default) * 1000,
      maxDeliveryCount: params.get('maxDeliveryCount')?.default,
      duplicateDetectionWindowMs: Number(params.get('duplicateDetectionWindowSeconds')?.default) * 1000,
    }).toEqual(embedded);
  });

  it('runs the timers on the schedules the code defaults to, the sparse ones the cost table prices', async () => {
    const params = await bicepParams(join(INFRA, 'main.bicep'));
    const { schedules } = readConfig({});
    expect({
      OUTBOX_SWEEP_SCHEDULE: params.get('outboxSweepSchedule')?.default,
      VIRTUAL_ACTORS_SCHEDULE: params.get('virtualActorsSchedule')?.default,
    }).toEqual({
      OUTBOX_SWEEP_SCHEDULE: schedules.OUTBOX_SWEEP_SCHEDULE.expression,
      VIRTUAL_ACTORS_SCHEDULE: schedules.VIRTUAL_ACTORS_SCHEDULE.expression,
    });
  });

  it('gives the app the storage roles the Durable Task extension needs, when durable functions are registered', async () => {
    if (!usesDurableFunctions(definitions)) return;
    // Identity-based AzureWebJobsStorage: blobs (leases), queues (work items) and tables (history, instances).
    const needed = {
      'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
      'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
      'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    };
    const onStorage = (await bicepRoleAssignments(join(INFRA, 'modules', 'access.bicep')))
      .filter((assignment) => assignment.scope === 'storage')
      .map((assignment) => assignment.roleDefinitionId);
    for (const [role, id] of Object.entries(needed)) expect(onStorage, `${role} on the storage account`).toContain(id);
    const hostJson = JSON.parse(readFileSync(join(ROOT, 'host.json'), 'utf8'));
    expect(hostJson.extensions.durableTask.hubName).toMatch(/^[A-Za-z][A-Za-z0-9]{2,49}$/);
    const appSettings = readFileSync(join(INFRA, 'modules', 'functionapp.bicep'), 'utf8');
    expect(appSettings).toMatch(/AzureWebJobsStorage__accountName:/);
    expect(appSettings).toMatch(/AzureWebJobsStorage__credential: 'managedidentity'/);
  });

  it("feeds main.bicep's params from azd's environment, and covers every required one", async () => {
    const params = await bicepParams(join(INFRA, 'main.bicep'));
    const file = JSON.parse(readFileSync(join(INFRA, 'main.parameters.json'), 'utf8')) as {
      parameters: Record<string, { value: unknown }>;
    };
    for (const [name, { value }] of Object.entries(file.parameters)) {
      expect(params.has(name), `main.parameters.json sets ${name}, which main.bicep does not declare`).toBe(true);
      expect(value, `${name} should come from azd's environment`).toMatch(/^\$\{[A-Z0-9_]+(=[^}]*)?\}$/);
    }
    const required = [...params].filter(([, param]) => param.required).map(([name]) => name);
    expect(required.sort()).toEqual(['environmentName', 'location']);
    expect(Object.keys(file.parameters)).toEqual(expect.arrayContaining([...required, 'principalId']));
  });
});

describe('Azure defaults', () => {
  const mainParams = () => bicepParams(join(INFRA, 'main.bicep'));
  const azdVariables = () =>
    new Map(
      Object.entries(
        (JSON.parse(readFileSync(join(INFRA, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, { value: string }> }).parameters,
      ).map(([param, { value }]) => [param, /^\$\{([A-Z0-9_]+)(?:=([^}]*))?\}$/.exec(value)] as const),
    );

  it('deploys current AI models, each settable with azd env set, with the same defaults in Bicep and azd', async () => {
    const params = await mainParams();
    const variables = azdVariables();
    const settable = {
      chatModelName: 'AZURE_OPENAI_CHAT_MODEL',
      chatModelVersion: 'AZURE_OPENAI_CHAT_MODEL_VERSION',
      chatSkuName: 'AZURE_OPENAI_CHAT_SKU',
      chatCapacity: 'AZURE_OPENAI_CHAT_CAPACITY',
      imageModelName: 'AZURE_OPENAI_IMAGE_MODEL',
      imageModelVersion: 'AZURE_OPENAI_IMAGE_MODEL_VERSION',
      imageSkuName: 'AZURE_OPENAI_IMAGE_SKU',
      imageCapacity: 'AZURE_OPENAI_IMAGE_CAPACITY',
    };
    for (const [param, variable] of Object.entries(settable)) {
      const mapping = variables.get(param);
      expect(mapping?.[1], `${param} comes from an azd variable`).toBe(variable);
      expect(mapping?.[2], `${variable}'s default is main.bicep's`).toBe(String(params.get(param)?.default));
    }
    // Retired by 2026 (Microsoft Learn's Azure OpenAI retirement schedule): creating them fails.
    const retired = ['gpt-4o-mini@2024-07-18', 'gpt-4o@2024-11-20', 'dall-e-3@3.0', 'gpt-image-1@2025-04-15'];
    for (const kind of ['chat', 'image']) {
      const model = `${params.get(`${kind}ModelName`)?.default}@${params.get(`${kind}ModelVersion`)?.default}`;
      expect(retired, `${kind} model default`).not.toContain(model);
    }
    // The writer asks GPT image models for no response_format, and knows them by deployment name.
    expect(params.get('imageModelName')?.default).toMatch(/^gpt-image/);
    expect(await bicepStringVariable(join(INFRA, 'main.bicep'), 'imageDeploymentName')).toBeNull(); // not a literal
    expect(readFileSync(join(INFRA, 'main.bicep'), 'utf8')).toMatch(/^var imageDeploymentName = imageModelName$/m);
  });

  it('calls Azure OpenAI on its v1 API (no dated api-version anywhere), each AI call within the 45 s Static Web Apps allows', async () => {
    expect((await mainParams()).has('openAiApiVersion')).toBe(false);
    const functionApp = readFileSync(join(INFRA, 'modules', 'functionapp.bicep'), 'utf8');
    const sample = JSON.parse(readFileSync(join(ROOT, 'local.settings.sample.json'), 'utf8')).Values as Record<string, string>;
    expect(functionApp).not.toMatch(/API_VERSION/);
    expect(Object.keys(sample)).not.toContain('AZURE_OPENAI_API_VERSION');
    // The admin page's AI calls reach the Function App through the Static Web App, which ends
    // every API request at 45 s; the budget covers retries, the handler needs a moment after it.
    const budget = Number(/^\s*AI_TIMEOUT_MS: '(\d+)'$/m.exec(functionApp)?.[1]);
    expect(budget).toBeLessThanOrEqual(40_000);
    expect(DEFAULT_AI_TIMEOUT_MS).toBeLessThanOrEqual(40_000);
    expect(Number(sample.AI_TIMEOUT_MS)).toBeLessThanOrEqual(40_000);
  });

  it('keeps Log Analytics demo-sized: warnings, invocations and the app\'s own lines only, under a 0.1 GB daily cap the cost table prices', async () => {
    const hostJson = JSON.parse(readFileSync(join(ROOT, 'host.json'), 'utf8'));
    // The host's own categories (Host.*, Microsoft.*, DurableTask.*) log warnings only; requests
    // (Host.Results), their counts (Host.Aggregator) and every function's log (Function.*) stay.
    expect(hostJson.logging.logLevel).toEqual({ default: 'Warning', 'Host.Results': 'Information', 'Host.Aggregator': 'Information', Function: 'Information' });
    const cap = Number((await bicepParams(join(INFRA, 'modules', 'monitoring.bicep'))).get('dailyQuotaGb')?.default);
    expect(cap).toBeGreaterThan(0);
    expect(cap).toBeLessThanOrEqual(0.1);
    const deploy = readFileSync(join(ROOT, 'docs', 'deploy.md'), 'utf8');
    expect(deploy).toContain(`${Math.round(cap * 31 * 10) / 10} GB`); // the worst month, 31 days at the cap
    expect(readFileSync(join(INFRA, 'main.bicep'), 'utf8')).not.toMatch(/dailyQuotaGb/); // the module's default is the one priced
  });

  it('sends order emails through Communication Services with the app identity, on by default and off with DEPLOY_EMAIL=false', async () => {
    const roles = await bicepRoleAssignments(join(INFRA, 'modules', 'email.bicep'));
    // Communication and Email Service Owner, on the Communication Services resource alone.
    expect(roles.map(({ scope, roleDefinitionId }) => ({ scope, roleDefinitionId }))).toEqual([
      { scope: 'communication', roleDefinitionId: '09976791-48a7-449e-bb21-39d1a415f350' },
    ]);
    const email = readFileSync(join(INFRA, 'modules', 'email.bicep'), 'utf8');
    expect(email).toContain("domainManagement: 'AzureManaged'");
    expect(email).toContain('linkedDomains: [managedDomain.id]');
    const main = readFileSync(join(INFRA, 'main.bicep'), 'utf8');
    const emailModule = /module email 'modules\/email\.bicep' = if \(deployEmail\) \{[\s\S]*?\n\}/.exec(main)?.[0] ?? '';
    expect(emailModule).toContain("senderPrincipals: [{ id: identity.outputs.principalId, type: 'ServicePrincipal' }]");
    expect((await bicepParams(join(INFRA, 'main.bicep'))).get('deployEmail')?.default).toBe(true);
    expect(JSON.parse(readFileSync(join(INFRA, 'main.parameters.json'), 'utf8')).parameters.deployEmail.value).toBe('${DEPLOY_EMAIL=true}');
    const app = readFileSync(join(INFRA, 'modules', 'functionapp.bicep'), 'utf8');
    expect(app).toContain("MAIL_PROVIDER: empty(acsEmailEndpoint) ? 'off' : 'acs'");
    // The app's settings resolve as config.ts reads them, with and without email.
    const deployed = { ACS_EMAIL_ENDPOINT: 'https://acs-x.unitedstates.communication.azure.com', MAIL_FROM: 'DoNotReply@0a1b.azurecomm.net', STORE_PUBLIC_URL: 'https://x.azurestaticapps.net' };
    expect(readConfig({ ...deployed, MAIL_PROVIDER: 'acs' }).mail).toMatchObject({ provider: 'acs', endpoint: deployed.ACS_EMAIL_ENDPOINT, from: deployed.MAIL_FROM });
    expect(readConfig({ MAIL_PROVIDER: 'off', ACS_EMAIL_ENDPOINT: '', MAIL_FROM: '' }).mail.provider).toBe('off');
  });

  it('gives the app Azure Service Bus Data Owner on the orders queue, so the trigger scales and the overview reads queue depth', async () => {
    const onQueue = (await bicepRoleAssignments(join(INFRA, 'modules', 'access.bicep'))).filter((assignment) => assignment.scope === 'queue');
    expect(onQueue.map((assignment) => assignment.roleDefinitionId)).toEqual(['090c5cfd-751d-490a-894a-3ce6f1109419']);
    const main = readFileSync(join(INFRA, 'main.bicep'), 'utf8');
    const apiAccess = /module apiAccess 'modules\/access\.bicep' = \{[\s\S]*?\n\}/.exec(main)?.[0] ?? '';
    expect(apiAccess).toContain('principalId: identity.outputs.principalId');
    expect(apiAccess).toContain('queueName: serviceBus.outputs.queueName');
  });

  it('runs Node.js 22 on Azure and in CI, while the local run keeps accepting Node.js 20 from the release its dependencies need', async () => {
    expect((await bicepParams(join(INFRA, 'modules', 'functionapp.bicep'))).get('nodeVersion')?.default).toBe('22');
    const swa = JSON.parse(readFileSync(join(ROOT, 'web', 'public', 'staticwebapp.config.json'), 'utf8'));
    expect(swa.platform.apiRuntime).toBe('node:22');
    expect(readYaml('.github/workflows/ci.yml').jobs.test.container.image).toMatch(/^node:22-/);
    const setupNode = (readYaml('.github/workflows/azure-dev.yml').jobs.deploy.steps as { uses?: string; with?: { 'node-version'?: unknown } }[]).find(
      (step) => step.uses?.startsWith('actions/setup-node'),
    );
    expect(String(setupNode?.with?.['node-version'])).toBe('22');
    const engines = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).engines.node as string;
    expect(engines).toBe('^20.19.0 || >=22.12.0');
    // The oldest 20.x and 22.x a range admits ("^20.19.0", ">=20.19.0", "^22.12"...); none past 22 is older.
    const oldest = (range: string, major: number) => {
      const minor = new RegExp(`(?:>=|\\^)${major}\\.(\\d+)`).exec(range)?.[1];
      return minor === undefined ? undefined : Number(minor);
    };
    // zlib.crc32 (image checks) came in 20.15; the MongoDB driver, bson and Rolldown need later ones.
    for (const dependency of ['mongodb', 'bson', 'rolldown']) {
      const theirs = JSON.parse(readFileSync(join(ROOT, 'node_modules', dependency, 'package.json'), 'utf8')).engines.node as string;
      for (const major of [20, 22]) {
        const needed = oldest(theirs, major);
        if (needed !== undefined) expect(oldest(engines, major), `${dependency} needs ${theirs}`).toBeGreaterThanOrEqual(needed);
      }
    }
  });

  it('asks Cosmos DB for a MongoDB server version the driver accepts', async () => {
    // The driver refuses servers older than its MIN_SUPPORTED_SERVER_VERSION (4.4 for mongodb 7).
    const constants = readFileSync(join(ROOT, 'node_modules', 'mongodb', 'lib', 'cmap', 'wire_protocol', 'constants.js'), 'utf8');
    const minimum = /MIN_SUPPORTED_SERVER_VERSION = '(\d+)\.(\d+)'/.exec(constants)!.slice(1).map(Number);
    const cosmos = readFileSync(join(INFRA, 'modules', 'cosmos.bicep'), 'utf8');
    const allowed = /@allowed\(\[([^\]]*)\]\)\s*\n@description\('MongoDB wire protocol[^\n]*\nparam serverVersion string = '([\d.]+)'/.exec(cosmos);
    expect(allowed).not.toBeNull();
    const versions = [...allowed![1]!.matchAll(/'([\d.]+)'/g)].map((match) => match[1]!).concat(allowed![2]!);
    for (const version of versions) {
      const [major, minor] = version.split('.').map(Number);
      expect(major! * 100 + minor!, `serverVersion ${version}`).toBeGreaterThanOrEqual(minimum[0]! * 100 + minimum[1]!);
    }
  });

  it('keeps every blob private and the instance ceiling where Flex Consumption accepts it', async () => {
    const storage = readFileSync(join(INFRA, 'modules', 'storage.bicep'), 'utf8');
    expect(storage).toMatch(/^\s*allowBlobPublicAccess: false$/m);
    const containerAccess = [...storage.matchAll(/^\s*publicAccess: (.+)$/gm)].map((match) => match[1]);
    expect(containerAccess).toEqual(["'None'", "'None'"]);
    for (const file of ['main.bicep', join('modules', 'functionapp.bicep')]) {
      const ceiling = (await bicepParams(join(INFRA, file))).get('maximumInstanceCount');
      expect(ceiling?.decorators.get('minValue'), `${file} maximumInstanceCount @minValue`).toBe('40');
      expect(Number(ceiling?.default)).toBeGreaterThanOrEqual(40);
    }
  });
});

describe('azd and GitHub wiring', () => {
  it('deploys the api as a built Function App package and web as the Static Web App, both tagged in Bicep', () => {
    const { services } = readYaml('azure.yaml');
    expect(services.api).toMatchObject({ project: '.', language: 'js', host: 'function', dist: 'deploy/api', remoteBuild: false });
    expect(services.api.hooks.prepackage.posix.run).toContain('npm run package:api');
    expect(services.web).toMatchObject({ project: 'web', language: 'js', host: 'staticwebapp', dist: 'dist' });
    const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['package:api']).toBe('node infra/scripts/package-api.mjs');
    // azd finds each service's resource by its azd-service-name tag, which main.bicep hands the modules.
    const main = readFileSync(join(INFRA, 'main.bicep'), 'utf8');
    for (const name of Object.keys(services)) expect(main).toContain(`serviceName: '${name}'`);
  });

  it('tests on every push and pull request with Chromium installed, and deploys with OpenID Connect', () => {
    const ci = readYaml('.github/workflows/ci.yml');
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    const ciSteps = (ci.jobs.test.steps as { run?: string }[]).map((step) => step.run ?? '').join('\n');
    expect(ciSteps).toMatch(/apt-get install[^\n]*\bchromium\b/);
    expect(ciSteps).toMatch(/^npm ci$/m);
    expect(ciSteps).toMatch(/^npm test$/m);
    // The MongoDB suites fail under CI without a server: both CIs build FerretDB before the tests.
    expect(ciSteps.indexOf('.ci/install-ferretdb')).toBeGreaterThan(-1);
    const ciRun = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    expect(ciRun.indexOf('.ci/install-ferretdb')).toBeGreaterThan(-1);
    expect(ciRun.indexOf('.ci/install-ferretdb')).toBeLessThan(ciRun.indexOf('npm test'));

    const deploy = readYaml('.github/workflows/azure-dev.yml');
    expect(Object.keys(deploy.on)).toEqual(expect.arrayContaining(['workflow_dispatch', 'push']));
    expect(deploy.permissions['id-token']).toBe('write');
    const steps = deploy.jobs.deploy.steps as { uses?: string; run?: string }[];
    const order = ['azure/login', 'az bicep build --file infra/main.bicep', 'Azure/setup-azd', '--federated-credential-provider github', 'azd provision --no-prompt', 'azd deploy --no-prompt'];
    const positions = order.map((needle) => steps.findIndex((step) => (step.uses ?? step.run ?? '').includes(needle)));
    expect(positions.every((position) => position >= 0), JSON.stringify(positions)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});

describe('the Bicep lint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bicep-lint-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports every rule on a template that breaks each of them', async () => {
    const bad = join(dir, 'rules');
    mkdirSync(join(bad, 'modules'), { recursive: true });
    writeFileSync(
      join(bad, 'main.bicep'),
      `@description('Region.')
param location string
param undocumented string
@secure()
@description('A password.')
param adminPassword string

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st${'${'}uniqueString(resourceGroup().id)}'
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
}

resource unversioned 'Microsoft.ServiceBus/namespaces' = {
  name: 'sb'
  location: location
  tags: {}
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: 'app'
  location: location
  tags: {}
  resource settings 'config@2024-04-01' = {
    name: 'appsettings'
    properties: union(shared, { STORE_ADAPTERS: 'azure' })
  }
}

var shared = { OTHER: 'x' }

module child 'modules/child.bicep' = {
  name: 'child'
  params: { location: location, typo: 1 }
}

output keys string = account.listKeys().keys[0].value
output password string = adminPassword
output dbSecret string = 'x'
output fromChild string = child.outputs.missing
`,
    );
    writeFileSync(
      join(bad, 'modules', 'child.bicep'),
      `@description('Region.')
param location string
@description('Required and not passed.')
param needed string
output ok string = needed
`,
    );
    const findings = await lintBicep({
      dir: bad,
      requiredSettings: [
        { name: 'STORE_ADAPTERS', connection: false, readBy: 'test' },
        { name: 'MONGODB_DATABASE', connection: false, readBy: 'test' },
        { name: 'ServiceBusConnection', connection: true, readBy: 'test' },
      ],
    });
    const text = describeFindings(findings);
    expect(findings.some((f) => f.rule === 'syntax'), text).toBe(false);
    expect(text).toMatch(/param-description main\.bicep:3 param undocumented has no @description/);
    expect(text).toMatch(/resource-tags main\.bicep:\d+ resource account \(Microsoft\.Storage\/storageAccounts\) has no tags/);
    expect(text).not.toMatch(/resource-tags .*resource settings/); // Microsoft.Web/sites/config cannot carry tags
    expect(text).toMatch(/api-version main\.bicep:\d+ resource unversioned/);
    expect(text).not.toMatch(/api-version .*resource (account|app|settings)\b/);
    expect(text).toMatch(/secret-output main\.bicep:\d+ output keys calls listKeys\(\)/);
    expect(text).toMatch(/secret-output main\.bicep:\d+ output password has a name that announces a secret, returns the @secure\(\) param adminPassword/);
    expect(text).toMatch(/secret-output main\.bicep:\d+ output dbSecret has a name that announces a secret/);
    expect(text).toMatch(/module-params main\.bicep:\d+ module child passes typo/);
    expect(text).toMatch(/module-params main\.bicep:\d+ module child does not pass the required param needed/);
    expect(text).toMatch(/module-outputs main\.bicep:\d+ child\.outputs\.missing/);
    expect(text).toMatch(/app-settings .* MONGODB_DATABASE, read by test, is not set/);
    expect(text).toMatch(/app-settings .* ServiceBusConnection \(or an identity-based ServiceBusConnection__\*\)/);
    expect(text).not.toMatch(/STORE_ADAPTERS, read by/);
    expect(new Set(findings.map((f) => f.rule))).toEqual(
      new Set(['param-description', 'resource-tags', 'api-version', 'secret-output', 'module-params', 'module-outputs', 'app-settings']),
    );
  });

  it('reports reads of a conditional module, scopes on a conditional resource, and an RBAC vault without accessPolicies', async () => {
    const bad = join(dir, 'conditions');
    mkdirSync(join(bad, 'modules'), { recursive: true });
    writeFileSync(
      join(bad, 'main.bicep'),
      `@description('Deploy it?')
param deployIt bool

module maybe 'modules/child.bicep' = if (deployIt) {
  name: 'maybe'
}

resource optional 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = if (deployIt) {
  name: 'oai'
}

resource role 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (deployIt) {
  name: guid('x')
  scope: optional
  properties: { principalId: 'p', roleDefinitionId: 'r' }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv'
  location: 'westeurope'
  tags: {}
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
  }
}

output unsafe string = maybe.outputs.value
output safe string = maybe.?outputs.value ?? ''
`,
    );
    writeFileSync(join(bad, 'modules', 'child.bicep'), `output value string = 'v'\n`);
    const findings = await lintBicep({ dir: bad, requiredSettings: [] });
    const text = describeFindings(findings.filter((finding) => finding.rule !== 'app-settings'));
    expect(text).toMatch(/^conditional-output main\.bicep:29 maybe\.outputs\.value reads a module deployed only under a condition \(BCP318\)/m);
    expect(text).not.toMatch(/main\.bicep:30/); // .? and ?? are the fix, and parse
    expect(text).toMatch(/^conditional-scope main\.bicep:14 a resource is scoped to optional, which exists only under a condition/m);
    expect(text).toMatch(/^rbac-vault-policies main\.bicep:\d+ resource vault uses RBAC but sets no accessPolicies/m);
    expect(findings.some((f) => f.rule === 'syntax'), text).toBe(false);
  });

  it('fails a template that does not parse', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(
      join(broken, 'main.bicep'),
      `@description('Region.')
param location string =

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: 'st'
  tags: {}
`,
    );
    const findings = await lintBicep({ dir: broken, requiredSettings: [] });
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.rule === 'syntax')).toBe(true);
    expect(describeFindings(findings)).toMatch(/syntax main\.bicep:\d+ syntax error/);
  });
});
