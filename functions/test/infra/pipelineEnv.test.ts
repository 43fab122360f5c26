import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

// The deploy workflow sees `azd env set` choices only through azure.yaml's pipeline.variables
// (which `azd pipeline config` copies into repository variables) and infra/scripts/pipeline-env.mjs,
// and the secrets through pipeline.secrets (repository secrets) and the Provision step's env.

const ROOT = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'pipeline-env-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Set by azd itself (environment, region, the signed-in principal) or by the workflow (principal type). */
const SET_BY_AZD = ['AZURE_ENV_NAME', 'AZURE_LOCATION', 'AZURE_PRINCIPAL_ID', 'AZURE_PRINCIPAL_TYPE'];
/** Read by the hooks rather than by Bicep. */
const HOOK_SWITCHES = ['PREPROVISION_CHECKS', 'POSTPROVISION_CHECKS'];

/** Bicep's @secure() params: GitHub secrets, never repository variables (which anyone with read access sees). */
const SECRETS = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'];

describe('azd env set choices in the deploy workflow', () => {
  const azureYaml = parseYaml(readFileSync(join(ROOT, 'azure.yaml'), 'utf8')) as { pipeline: { variables: string[]; secrets: string[] } };
  const workflow = parseYaml(readFileSync(join(ROOT, '.github', 'workflows', 'azure-dev.yml'), 'utf8')) as {
    jobs: { deploy: { steps: Array<{ name?: string; run?: string; env?: Record<string, string> }> } };
  };

  it('lists every variable main.parameters.json reads, but those azd sets itself, as pipeline.variables, the secrets as pipeline.secrets', () => {
    const parameters = readFileSync(join(ROOT, 'infra', 'main.parameters.json'), 'utf8');
    const read = [...new Set([...parameters.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]!))];
    const expected = [...read.filter((name) => !SET_BY_AZD.includes(name) && !SECRETS.includes(name)), ...HOOK_SWITCHES].sort();
    expect([...azureYaml.pipeline.variables].sort()).toEqual(expected);
    expect(read).toEqual(expect.arrayContaining(SECRETS));
    expect([...azureYaml.pipeline.secrets].sort()).toEqual(SECRETS);
  });

  it('hands azd provision each secret from the repository secrets, and no other step', () => {
    const provision = workflow.jobs.deploy.steps.filter((step) => SECRETS.some((name) => step.env?.[name] !== undefined));
    expect(provision.map((step) => step.run)).toEqual(['azd provision --no-prompt']);
    expect(provision[0]!.env).toEqual(Object.fromEntries(SECRETS.map((name) => [name, `\${{ secrets.${name} }}`])));
  });

  it('hands the workflow every listed repository variable that has a value, and nothing else, before provisioning', () => {
    const githubEnv = join(work, 'github-env');
    writeFileSync(githubEnv, '');
    const choices = { DEPLOY_OPENAI: 'false', AZURE_OPENAI_LOCATION: 'eastus2', SEED_CATALOG: '', AZURE_CLIENT_ID: 'not-a-choice' };
    const run = spawnSync(process.execPath, [join(ROOT, 'infra', 'scripts', 'pipeline-env.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, CHOICES: JSON.stringify(choices), GITHUB_ENV: githubEnv },
    });
    expect(run.status, run.stderr).toBe(0);
    // An empty one is left out, so main.parameters.json's default applies.
    expect(readFileSync(githubEnv, 'utf8')).toBe('AZURE_OPENAI_LOCATION=eastus2\nDEPLOY_OPENAI=false\n');
    expect(run.stdout).toContain('carried AZURE_OPENAI_LOCATION, DEPLOY_OPENAI');

    const steps = workflow.jobs.deploy.steps;
    const carry = steps.findIndex((step) => step.run === 'node infra/scripts/pipeline-env.mjs');
    expect(carry).toBeGreaterThanOrEqual(0);
    expect(steps[carry]!.env).toEqual({ CHOICES: '${{ toJSON(vars) }}' });
    expect(carry).toBeLessThan(steps.findIndex((step) => step.run?.startsWith('azd provision')));
  });
});
