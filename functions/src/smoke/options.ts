import { parseArgs } from 'node:util';

export const USAGE = `Usage: npm run smoke -- --site URL [--api URL] [--timeout SECONDS]
  --site URL         the store's address: the Static Web App, or http://127.0.0.1:4280 for npm start
  --api URL          the Function App's own address (azd env get-value API_FUNCTION_URL): checks that it
                     refuses a forged sign-in header sent around the Static Web App
  --timeout SECONDS  how long each check may wait for the store to warm up or an order to move (default 60)`;

const DEFAULT_TIMEOUT_SECONDS = 60;
const MAX_TIMEOUT_SECONDS = 3600;

export interface SmokeOptions {
  /** The store's address, without a trailing slash or /api. */
  site: string;
  /** The Function App's own address, when given. */
  api: string | undefined;
  timeoutMs: number;
}

/** Bad arguments: the caller gets the message and the usage, and exit code 2. */
export class UsageError extends Error {}

/** An http(s) address as given, or the same with /api after it: the checks add /api/... themselves. */
function baseUrl(flag: string, value: string | undefined): string {
  let url: URL;
  try {
    url = new URL(value ?? '');
  } catch {
    throw new UsageError(`--${flag} must be an http(s) URL, got ${JSON.stringify(value ?? '')}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--${flag} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '').replace(/\/api$/, '');
}

function timeoutMs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS)) {
    throw new UsageError(`--timeout must be a number of seconds from 1 to ${MAX_TIMEOUT_SECONDS}, got ${JSON.stringify(value)}`);
  }
  return seconds * 1000;
}

/** Reads the command line; null means --help was asked for. */
export function readOptions(argv: string[]): SmokeOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        site: { type: 'string' },
        api: { type: 'string' },
        timeout: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  if (values.site === undefined) throw new UsageError('--site is required');
  return {
    site: baseUrl('site', values.site),
    api: values.api === undefined ? undefined : baseUrl('api', values.api),
    timeoutMs: timeoutMs(values.timeout),
  };
}
