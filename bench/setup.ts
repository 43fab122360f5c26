import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const HOST_SCRIPT = resolve('dist/local/host.js');

export function freshDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'bestbuy-bench-'));
}

/** The local host with nothing running in the background but what is measured. */
export function quietHostEnv(dataDir: string): Record<string, string> {
  // RATE_LIMITS off: the load comes from one address, far past what one visitor may send.
  return { DATA_DIR: dataDir, LOCAL_HOST_PORT: '0', SEED_CATALOG: 'false', LOG_LEVEL: 'warn', RATE_LIMITS: 'off' };
}

const admin = { identityProvider: 'bench', userId: 'bench', userDetails: 'bench', userRoles: ['authenticated', 'admin'] };
export const ADMIN_HEADERS = { 'x-ms-client-principal': Buffer.from(JSON.stringify(admin)).toString('base64') };
