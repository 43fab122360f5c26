// The Azure CLI as the azd hooks use it: JSON out, errors only, the environment's subscription.
import { spawnSync } from 'node:child_process';

/** Runs az with JSON output; null when az is not installed. `az rest` takes no --subscription. */
export function az(args) {
  const subscription = process.env.AZURE_SUBSCRIPTION_ID && args[0] !== 'rest' ? ['--subscription', process.env.AZURE_SUBSCRIPTION_ID] : [];
  const result = spawnSync('az', [...args, ...subscription, '--output', 'json', '--only-show-errors'], {
    encoding: 'utf8',
    // az is az.cmd on Windows, which only a shell runs.
    shell: process.platform === 'win32',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error?.code === 'ENOENT') return null;
  if (result.error) throw result.error;
  let json = null;
  try {
    json = result.status === 0 ? JSON.parse(result.stdout || 'null') : null;
  } catch {
    // az printed something that is not JSON: treated like a failed call below.
  }
  return { ok: result.status === 0 && json !== null, json, stderr: (result.stderr || '').trim() };
}
