#!/usr/bin/env node
// The deploy workflow's bridge for `azd env set` choices (.github/workflows/azure-dev.yml).
// `azd pipeline config` copies every name listed under azure.yaml's pipeline.variables that has a
// value in the azd environment into a GitHub repository variable
// (https://learn.microsoft.com/azure/developer/azure-developer-cli/pipeline-advanced-features).
// The workflow hands all repository variables in as CHOICES (toJSON(vars)); this writes the listed
// ones that have a value to $GITHUB_ENV, so `azd provision` sees them. A name without a value is
// left out rather than set empty: an empty DEPLOY_OPENAI would reach Bicep as '' instead of the
// default of main.parameters.json.
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The names under `pipeline:` → `variables:` in azure.yaml (a plain block list, as written there). */
function pipelineVariables(azureYaml) {
  const block = /^pipeline:\n {2}variables:\n((?: {4}- [A-Z0-9_]+\n)+)/m.exec(azureYaml);
  if (!block) throw new Error('azure.yaml has no pipeline.variables list');
  return [...block[1].matchAll(/- ([A-Z0-9_]+)/g)].map((match) => match[1]);
}

const names = pipelineVariables(readFileSync(join(root, 'azure.yaml'), 'utf8'));
const choices = JSON.parse(process.env.CHOICES || '{}');
const carried = [];
for (const name of names) {
  const value = choices[name];
  if (typeof value !== 'string' || value === '') continue;
  if (/[\r\n]/.test(value)) throw new Error(`repository variable ${name} holds a line break; azd env values are one line`);
  appendFileSync(process.env.GITHUB_ENV, `${name}=${value}\n`);
  carried.push(name);
}
console.log(carried.length ? `pipeline-env: carried ${carried.join(', ')}` : 'pipeline-env: no azd env set choices; main.parameters.json defaults apply');
