#!/usr/bin/env node
// azd's preprovision hook (azure.yaml): before anything is created, checks what would make
// `azd provision` fail halfway, and stops with the exact command that fixes it:
//   1. the chat and image models (name, version, deployment SKU) are offered for Azure OpenAI in
//      AZURE_OPENAI_LOCATION, unless DEPLOY_OPENAI=false;
//   2. no soft-deleted Key Vault or Azure OpenAI account (left by `azd down` without --purge)
//      holds a name this environment is about to use;
//   3. AZURE_LOCATION offers Flex Consumption, and Node.js at the version functionapp.bicep runs;
//   4. the subscription has the Azure OpenAI quota (tokens or requests a minute) the two
//      deployments ask for in AZURE_OPENAI_LOCATION, counting back what this environment's own
//      deployments already hold;
//   5. with PAYMENT_PROVIDER=stripe, Stripe's three keys are set (the app would not start
//      without them); this one needs no az.
// azd hands its environment (.azure/<env>/.env) to hooks as environment variables; a variable
// never set falls back to its default in infra/main.parameters.json, as it does for Bicep.
// Uses the Azure CLI (`az`), which azd itself does not need: without it, or signed out, the
// checks are skipped with a warning. PREPROVISION_CHECKS=false skips them on purpose.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { az } from './az.mjs';

const infra = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;

/** main.bicep's params as azd resolves them: `${NAME=default}` is $NAME, or the default. */
function resolveParameters() {
  const { parameters } = JSON.parse(readFileSync(join(infra, 'main.parameters.json'), 'utf8'));
  const resolved = {};
  const variables = {};
  for (const [param, { value }] of Object.entries(parameters)) {
    const reference = /^\$\{([A-Z0-9_]+)(?:=([^}]*))?\}$/.exec(String(value));
    if (!reference) continue;
    const [, variable, fallback = ''] = reference;
    variables[param] = variable;
    resolved[param] = env[variable] || fallback;
  }
  return { resolved, variables };
}

const warn = (line) => console.warn(`preprovision: ${line}`);

const sameRegion = (a, b) => String(a ?? '').replace(/\s+/g, '').toLowerCase() === String(b ?? '').replace(/\s+/g, '').toLowerCase();

/** Problems with one model in the region's list (`az cognitiveservices model list`), or none. */
function modelProblem(offered, wanted, region, names) {
  const sameName = offered.filter(
    (entry) => entry?.kind === 'OpenAI' && entry.model?.format === 'OpenAI' && entry.model?.name === wanted.name,
  );
  const versions = [...new Set(sameName.map((entry) => entry.model.version))].sort();
  const match = sameName.find((entry) => entry.model.version === wanted.version);
  const label = `The ${wanted.role} model ${wanted.name} version ${wanted.version}`;
  if (!match) {
    return [
      `${label} is not offered for Azure OpenAI in ${region} (versions of ${wanted.name} offered there: ${versions.join(', ') || 'none'}).`,
      '  Fix it with one of:',
      ...(versions.length ? [`    azd env set ${names.version} ${versions.at(-1)}`] : []),
      `    azd env set AZURE_OPENAI_LOCATION <a region that offers it, per Microsoft Learn's model region availability>`,
      `    azd env set ${names.model} <another model>, with azd env set ${names.version} <its version>`,
      '    azd env set DEPLOY_OPENAI false   (no Azure OpenAI: AI help stays off)',
    ];
  }
  const skus = Array.isArray(match.model.skus) ? match.model.skus.map((sku) => sku?.name).filter(Boolean) : [];
  if (skus.length && !skus.includes(wanted.sku)) {
    return [
      `${label} is offered in ${region}, but not as a ${wanted.sku} deployment (offered: ${skus.join(', ')}).`,
      '  Fix it with one of:',
      `    azd env set ${names.sku} ${skus[0]}`,
      '    azd env set AZURE_OPENAI_LOCATION <a region that offers it as one>',
    ];
  }
  return [];
}

function checkModels(parameters) {
  const { resolved: p, variables: v } = parameters;
  const region = p.openAiLocation;
  const listed = az(['cognitiveservices', 'model', 'list', '--location', region]);
  if (!listed.ok || !Array.isArray(listed.json)) {
    warn(`could not list the models offered in ${region}, so they are not checked (${listed.stderr || 'no model list'}).`);
    return [];
  }
  const wanted = [
    { role: 'chat', name: p.chatModelName, version: p.chatModelVersion, sku: p.chatSkuName },
    { role: 'image', name: p.imageModelName, version: p.imageModelVersion, sku: p.imageSkuName },
  ];
  const names = {
    chat: { model: v.chatModelName, version: v.chatModelVersion, sku: v.chatSkuName },
    image: { model: v.imageModelName, version: v.imageModelVersion, sku: v.imageSkuName },
  };
  return wanted.map((model) => modelProblem(listed.json, model, region, names[model.role])).filter((lines) => lines.length);
}

/** The Node.js major version functionapp.bicep runs (param nodeVersion's default). */
function nodeVersion() {
  const bicep = readFileSync(join(infra, 'modules', 'functionapp.bicep'), 'utf8');
  return /^param nodeVersion string = '([^']+)'$/m.exec(bicep)?.[1] ?? '22';
}

/**
 * The Function App's region: Flex Consumption offered there (az functionapp
 * list-flexconsumption-locations), and the Node.js version among its runtimes
 * (az functionapp list-flexconsumption-runtimes, Get-AzFunctionAppFlexConsumptionRuntime's data).
 */
function checkFunctionsRegion(parameters) {
  const region = parameters.resolved.location;
  const node = nodeVersion();
  const locations = az(['functionapp', 'list-flexconsumption-locations']);
  if (!locations.ok || !Array.isArray(locations.json)) {
    warn(`could not list the regions that offer Flex Consumption, so ${region} is not checked (${locations.stderr || 'no list'}).`);
    return [];
  }
  const names = locations.json.map((entry) => entry?.name ?? entry?.displayName).filter(Boolean);
  const pick = `    azd env set AZURE_LOCATION <one of: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', ...' : ''}>`;
  const newRegion = '  (another region gives new resource names: in an environment that already has resources, azd env new <name> is cleaner)';
  if (!names.some((name) => sameRegion(name, region))) {
    return [[`The Function App's region ${region} does not offer the Flex Consumption plan.`, '  Fix it with:', pick, newRegion]];
  }
  const runtimes = az(['functionapp', 'list-flexconsumption-runtimes', '--location', region, '--runtime', 'node']);
  if (!runtimes.ok || !Array.isArray(runtimes.json)) {
    warn(`could not list the Node.js versions Flex Consumption runs in ${region}, so Node.js ${node} is not checked (${runtimes.stderr || 'no list'}).`);
    return [];
  }
  const versions = runtimes.json.map((entry) => String(entry?.version ?? '')).filter(Boolean);
  if (!versions.some((version) => version === node || version.startsWith(`${node}.`))) {
    return [[`Flex Consumption in ${region} does not run Node.js ${node}, which the app needs (there: ${versions.join(', ') || 'none'}).`, '  Fix it with:', pick, newRegion]];
  }
  return [];
}

/**
 * Free quota for each deployment: az cognitiveservices usage list names it OpenAI.<SKU>.<model>,
 * with currentValue and limit in the deployment's capacity units. This environment's own
 * deployments (a second azd provision) already count in currentValue, so theirs is added back.
 */
function checkQuota(parameters) {
  const { resolved: p, variables: v } = parameters;
  const region = p.openAiLocation;
  const usages = az(['cognitiveservices', 'usage', 'list', '--location', region]);
  if (!usages.ok || !Array.isArray(usages.json)) {
    warn(`could not read the Azure OpenAI quota in ${region}, so it is not checked (${usages.stderr || 'no usage list'}).`);
    return [];
  }
  const held = ownDeployments();
  const wanted = [
    { role: 'chat', name: p.chatModelName, sku: p.chatSkuName, capacity: Number(p.chatCapacity), variable: v.chatCapacity },
    { role: 'image', name: p.imageModelName, sku: p.imageSkuName, capacity: Number(p.imageCapacity), variable: v.imageCapacity },
  ];
  const problems = [];
  for (const model of wanted) {
    const usageName = `OpenAI.${model.sku}.${model.name}`.toLowerCase();
    const usage = usages.json.find((entry) => String(entry?.name?.value ?? '').toLowerCase() === usageName);
    if (!usage) {
      warn(`no quota entry OpenAI.${model.sku}.${model.name} in ${region}, so the ${model.role} model's quota is not checked.`);
      continue;
    }
    const ours = held.filter((deployment) => deployment.name === model.name && deployment.sku === model.sku).reduce((sum, deployment) => sum + deployment.capacity, 0);
    const free = Number(usage.limit) - Number(usage.currentValue) + ours;
    if (free >= model.capacity) continue;
    problems.push([
      `The ${model.role} deployment asks for ${model.capacity} units of ${model.sku} ${model.name} quota in ${region}, and the subscription has ${Math.max(0, free)} free (limit ${usage.limit}, in use ${usage.currentValue}).`,
      '  Fix it with one of:',
      ...(free >= 1 ? [`    azd env set ${model.variable} ${free}`] : []),
      `    azd env set AZURE_OPENAI_LOCATION <a region with free quota for it>`,
      '    a quota increase for the subscription (Azure AI Foundry portal, Quota)',
      '    azd env set DEPLOY_OPENAI false   (no Azure OpenAI: AI help stays off)',
    ]);
  }
  return problems;
}

/** The model deployments of this environment's Azure OpenAI account, if it exists already. */
function ownDeployments() {
  const group = `rg-${env.AZURE_ENV_NAME ?? ''}`;
  const accounts = az(['cognitiveservices', 'account', 'list', '--resource-group', group]);
  if (!accounts.ok || !Array.isArray(accounts.json)) return []; // no group yet: nothing of ours holds quota
  return accounts.json.flatMap((account) => {
    const deployments = az(['cognitiveservices', 'account', 'deployment', 'list', '--resource-group', group, '--name', account.name]);
    if (!deployments.ok || !Array.isArray(deployments.json)) return [];
    return deployments.json.map((deployment) => ({
      name: deployment?.properties?.model?.name,
      sku: deployment?.sku?.name,
      capacity: Number(deployment?.sku?.capacity ?? 0),
    }));
  });
}

/** The resource group a deleted resource lived in, from its resource id. */
const resourceGroupOf = (id) => /\/resourceGroups\/([^/]+)/i.exec(String(id ?? ''))?.[1] ?? '';

/**
 * Soft-deleted resources whose names this environment is about to use. main.bicep names them
 * kv-<token> and oai-<token>, token = uniqueString(subscription, environment name, location);
 * uniqueString's algorithm is not documented, so instead of recomputing it a deleted resource
 * counts as ours when it lived in this environment's resource group rg-<AZURE_ENV_NAME> (or
 * carries its azd-env-name tag) and has our name prefix. A Key Vault must also be in
 * AZURE_LOCATION (another location gives another token); an Azure OpenAI account lives in
 * AZURE_OPENAI_LOCATION, so its own location says nothing about the token.
 */
function checkSoftDeleted(parameters, deployOpenAi) {
  const envName = env.AZURE_ENV_NAME ?? '';
  const group = `rg-${envName}`.toLowerCase();
  const ours = (resourceGroup, tags) => resourceGroup.toLowerCase() === group || tags?.['azd-env-name'] === envName;
  const subscription = env.AZURE_SUBSCRIPTION_ID ? ` --subscription ${env.AZURE_SUBSCRIPTION_ID}` : '';
  const problems = [];

  const vaults = az(['keyvault', 'list-deleted']);
  if (!vaults.ok || !Array.isArray(vaults.json)) {
    warn(`could not list soft-deleted Key Vaults, so they are not checked (${vaults.stderr || 'no list'}).`);
  } else {
    for (const vault of vaults.json) {
      const properties = vault?.properties ?? {};
      // A deleted managed HSM has an mhsmId instead of a vaultId.
      if (!properties.vaultId || !String(vault?.name).startsWith('kv-') || !sameRegion(properties.location, parameters.resolved.location)) continue;
      if (!ours(resourceGroupOf(properties.vaultId), properties.tags)) continue;
      problems.push([
        `Key Vault ${vault.name} (${properties.location}) is soft-deleted, and this environment is about to create a vault with that name.`,
        properties.purgeProtectionEnabled
          ? `  It has purge protection, so it cannot be purged before ${properties.scheduledPurgeDate ?? 'its scheduled purge date'}.`
          : `  Purge it:\n    az keyvault purge --name ${vault.name} --location ${properties.location}${subscription}`,
      ]);
    }
  }

  if (deployOpenAi) {
    const accounts = az(['cognitiveservices', 'account', 'list-deleted']);
    if (!accounts.ok || !Array.isArray(accounts.json)) {
      warn(`could not list soft-deleted Azure OpenAI accounts, so they are not checked (${accounts.stderr || 'no list'}).`);
    } else {
      for (const account of accounts.json) {
        const resourceGroup = resourceGroupOf(account?.id);
        if (!String(account?.name).startsWith('oai-') || !ours(resourceGroup, account?.tags)) continue;
        problems.push([
          `Azure OpenAI account ${account.name} (${account.location}) is soft-deleted, and this environment is about to create an account with that name.`,
          `  Purge it:\n    az cognitiveservices account purge --name ${account.name} --resource-group ${resourceGroup} --location ${account.location}${subscription}`,
        ]);
      }
    }
  }
  if (problems.length) {
    problems.push([
      'Or leave them and use new names: a new azd environment (azd env new <another name>) gets new resource names.',
    ]);
  }
  return problems;
}

/** PAYMENT_PROVIDER=stripe without all of Stripe's keys: functions/src/config.ts refuses to start. */
function checkStripeKeys(parameters) {
  if (parameters.resolved.paymentProvider !== 'stripe') return [];
  const missing = ['stripeSecretKey', 'stripeWebhookSecret', 'stripePublishableKey'].filter((param) => !parameters.resolved[param]).map((param) => parameters.variables[param]);
  if (!missing.length) return [];
  return [
    [
      `PAYMENT_PROVIDER is stripe, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set: the Function App would not start without ${missing.length > 1 ? 'them' : 'it'} (docs/deploy.md, Payments with Stripe).`,
      ...missing.map((name) => `  azd env set ${name} <its value from the Stripe Dashboard>`),
      'Or take demo payments: azd env set PAYMENT_PROVIDER demo',
    ],
  ];
}

/** Prints the problems found and answers the hook's exit code. */
function stop(problems) {
  console.error('preprovision: stopped before creating anything.');
  for (const lines of problems) console.error(`\n${lines.join('\n')}`);
  console.error('\nThen run azd up (or azd provision) again. To skip these checks: azd env set PREPROVISION_CHECKS false');
  return 1;
}

function main() {
  if (env.PREPROVISION_CHECKS === 'false') {
    warn('PREPROVISION_CHECKS=false: the models and soft-deleted names are not checked.');
    return 0;
  }
  const parameters = resolveParameters();
  const keyProblems = checkStripeKeys(parameters);
  if (keyProblems.length) return stop(keyProblems);
  const signedIn = az(['account', 'show']);
  if (signedIn === null) {
    warn('the Azure CLI (az) is not installed, so the models offered in the region and soft-deleted names are not checked.');
    warn('Provisioning goes on; install az (https://aka.ms/azure-cli) and run az login to have them checked first.');
    return 0;
  }
  if (!signedIn.ok) {
    warn('the Azure CLI is not signed in, so the models offered in the region and soft-deleted names are not checked.');
    warn('Provisioning goes on; run az login (the same account as azd) to have them checked first.');
    return 0;
  }

  const deployOpenAi = parameters.resolved.deployOpenAi.toLowerCase() !== 'false';
  const problems = [
    ...checkFunctionsRegion(parameters),
    ...(deployOpenAi ? [...checkModels(parameters), ...checkQuota(parameters)] : []),
    ...checkSoftDeleted(parameters, deployOpenAi),
  ];
  if (!problems.length) {
    console.log(
      deployOpenAi
        ? `preprovision: ${parameters.resolved.chatModelName} ${parameters.resolved.chatModelVersion} and ${parameters.resolved.imageModelName} ${parameters.resolved.imageModelVersion} are offered in ${parameters.resolved.openAiLocation}; no soft-deleted resource holds this environment's names.`
        : 'preprovision: DEPLOY_OPENAI=false, so no model is checked; no soft-deleted resource holds this environment\'s names.',
    );
    return 0;
  }
  return stop(problems);
}

process.exitCode = main();
