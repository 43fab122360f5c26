#!/usr/bin/env node
// azd's postprovision hook (azure.yaml): after the resources exist and before any code is
// deployed, checks what the template cannot enforce itself, and stops with what to do:
//   1. The Function App refuses callers that do not come through the Static Web App. The API
//      trusts the x-ms-client-principal header because linking the Function App as the site's
//      backend turns on its authentication (authsettingsV2). Static Web Apps lists Consumption,
//      Premium and Dedicated as the plans of a linked Functions backend, not Flex Consumption
//      (https://learn.microsoft.com/azure/static-web-apps/apis-functions), so the lockdown is read
//      back rather than assumed: with it off, deployed code would believe forged sign-ins.
//   2. The MONGODB_URI Key Vault reference resolves. If the app's Key Vault role had not reached
//      the vault when the settings were written, the reference stays unresolved until a
//      configuration change or its daily refresh
//      (https://learn.microsoft.com/azure/app-service/app-service-key-vault-references), and the
//      store cannot start: the hook reads its status
//      (https://learn.microsoft.com/rest/api/appservice/web-apps/get-app-setting-key-vault-reference)
//      and, when it is not resolved, changes one app setting to make the app fetch it again.
// azd hands the hook main.bicep's outputs (AZURE_RESOURCE_GROUP, AZURE_FUNCTION_APP_NAME). Without
// az, or signed out, it warns and lets azd go on; POSTPROVISION_CHECKS=false skips it on purpose.
import { az } from './az.mjs';

const env = process.env;
const API_VERSION = '2024-04-01';
/** How long a nudged reference may take to resolve: attempts × seconds apart. */
const RESOLVE_ATTEMPTS = 6;
const RESOLVE_WAIT_SECONDS = Number(env.POSTPROVISION_WAIT_SECONDS ?? 10);

const warn = (line) => console.warn(`postprovision: ${line}`);
const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

function siteUrl(path) {
  const subscription = env.AZURE_SUBSCRIPTION_ID || '{subscriptionId}'; // az rest fills in the signed-in one
  return `/subscriptions/${subscription}/resourceGroups/${env.AZURE_RESOURCE_GROUP}/providers/Microsoft.Web/sites/${env.AZURE_FUNCTION_APP_NAME}/${path}?api-version=${API_VERSION}`;
}

const get = (path) => az(['rest', '--method', 'get', '--url', siteUrl(path)]);

/** Problems with the Function App's authentication, or none. */
function checkLockdown() {
  const read = get('config/authsettingsV2');
  if (!read.ok) {
    warn(`could not read the Function App's authentication settings, so they are not checked (${read.stderr || 'no answer'}).`);
    return [];
  }
  const properties = read.json?.properties ?? {};
  const problems = [];
  if (properties.platform?.enabled !== true) problems.push('authentication is off');
  if (properties.globalValidation?.requireAuthentication !== true) problems.push('unauthenticated requests are allowed');
  if (properties.identityProviders?.azureStaticWebApps?.enabled !== true) problems.push('the Static Web App is not its identity provider');
  if (!problems.length) return [];
  return [
    [
      `The Function App ${env.AZURE_FUNCTION_APP_NAME} answers callers that go around the Static Web App (${problems.join('; ')}).`,
      '  The API trusts the sign-in header the site adds, so with this any caller could act as an employee.',
      '  Linking it as the site\'s backend (modules/staticwebappBackend.bicep) should have locked it; Static Web Apps',
      '  documents linked Functions backends on Consumption, Premium and Dedicated plans, not Flex Consumption.',
      '  Fix it with one of:',
      '    azd provision   (links the backend again)',
      `    the portal: Static Web App ${env.AZURE_STATIC_WEB_APP_NAME ?? ''} -> APIs -> link the Function App, then azd provision`,
      `  Until this check passes, keep the API stopped: az functionapp stop --name ${env.AZURE_FUNCTION_APP_NAME} --resource-group ${env.AZURE_RESOURCE_GROUP}`,
    ],
  ];
}

const referenceStatus = () => get('config/configreferences/appsettings/MONGODB_URI');

/** Problems with the MONGODB_URI Key Vault reference, after nudging it if it was not resolved. */
async function checkKeyVaultReference() {
  let read = referenceStatus();
  if (!read.ok) {
    warn(`could not read the MONGODB_URI Key Vault reference's status, so it is not checked (${read.stderr || 'no answer'}).`);
    return [];
  }
  if (read.json?.properties?.status === 'Resolved') return [];
  const first = read.json?.properties?.status ?? 'unknown';
  // A configuration change makes the app fetch every reference again.
  console.log(`postprovision: the MONGODB_URI Key Vault reference is ${first}; changing KEY_VAULT_REFERENCES_RENEWED to have it fetched again.`);
  az([
    'functionapp', 'config', 'appsettings', 'set',
    '--name', env.AZURE_FUNCTION_APP_NAME,
    '--resource-group', env.AZURE_RESOURCE_GROUP,
    '--settings', `KEY_VAULT_REFERENCES_RENEWED=${new Date().toISOString()}`,
  ]);
  for (let attempt = 0; attempt < RESOLVE_ATTEMPTS; attempt++) {
    await sleep(RESOLVE_WAIT_SECONDS);
    read = referenceStatus();
    if (read.ok && read.json?.properties?.status === 'Resolved') {
      console.log('postprovision: the MONGODB_URI Key Vault reference is resolved now.');
      return [];
    }
  }
  const status = read.json?.properties?.status ?? 'unknown';
  const details = read.json?.properties?.details ? ` (${read.json.properties.details})` : '';
  return [
    [
      `The Function App cannot read MONGODB_URI from Key Vault: the reference is ${status}${details}.`,
      '  The store cannot reach Cosmos DB without it, so the deploy\'s smoke check would fail.',
      '  Fix it with one of:',
      '    wait a few minutes (a new role assignment can take that long to apply), then azd provision',
      `    check that the app's identity has Key Vault Secrets User on ${env.AZURE_KEY_VAULT_NAME ?? 'the vault'} (modules/access.bicep)`,
    ],
  ];
}

async function main() {
  if (env.POSTPROVISION_CHECKS === 'false') {
    warn('POSTPROVISION_CHECKS=false: the Function App\'s lockdown and its Key Vault reference are not checked.');
    return 0;
  }
  const signedIn = az(['account', 'show']);
  if (signedIn === null || !signedIn.ok) {
    warn(`the Azure CLI is ${signedIn === null ? 'not installed' : 'not signed in'}, so the Function App's lockdown and its Key Vault reference are not checked.`);
    warn('Deploying goes on; the smoke check after it still tries both.');
    return 0;
  }
  const problems = [...checkLockdown(), ...(await checkKeyVaultReference())];
  if (!problems.length) {
    console.log('postprovision: the Function App refuses callers that go around the site, and MONGODB_URI resolves from Key Vault.');
    return 0;
  }
  console.error('postprovision: stopped before deploying any code.');
  for (const lines of problems) console.error(`\n${lines.join('\n')}`);
  console.error('\nThen run azd up again. To skip these checks: azd env set POSTPROVISION_CHECKS false');
  return 1;
}

process.exitCode = await main();
