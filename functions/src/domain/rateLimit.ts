/**
 * The requests one client may send only so many of (a route names one in the contract,
 * http/contract/routes.ts). Writes are counted in the store, so every Function App instance
 * sees the same count; searches, a read, are counted by each instance on its own.
 */
export const RATE_LIMITED = {
  orders: { what: 'orders', shared: true },
  cancels: { what: 'cancels', shared: true },
  claims: { what: 'claims', shared: true },
  // Payment attempts and confirmations: a script trying card numbers one after another.
  payments: { what: 'payment attempts', shared: true },
  // Only a request with a search term is a search: paging and tag filters read the page cache.
  searches: { what: 'searches', shared: false, onlyWithQuery: 'q' },
} as const satisfies Record<string, { what: string; shared: boolean; onlyWithQuery?: string }>;
export type RateLimitName = keyof typeof RATE_LIMITED;

/** At most `limit` requests in each window of `windowSeconds`. */
export interface RateLimit {
  limit: number;
  windowSeconds: number;
}

/** A limit as the settings write it: "5/10m" is 5 every 10 minutes (s, m or h). */
export function parseRateLimit(text: string): RateLimit | null {
  const match = /^(\d{1,6})\s*\/\s*(\d{1,4})\s*([smh])$/.exec(text.trim());
  if (!match) return null;
  const windowSeconds = Number(match[2]) * { s: 1, m: 60, h: 3600 }[match[3] as 's' | 'm' | 'h'];
  const limit = Number(match[1]);
  return limit >= 1 && windowSeconds >= 1 && windowSeconds <= 24 * 3600 ? { limit, windowSeconds } : null;
}

/** The fixed window `now` falls in: windows start on multiples of their length, the same on every instance. */
export function windowAt(limit: RateLimit, nowMs: number): { startMs: number; endMs: number } {
  const lengthMs = limit.windowSeconds * 1000;
  const startMs = Math.floor(nowMs / lengthMs) * lengthMs;
  return { startMs, endMs: startMs + lengthMs };
}

/** Whole seconds until the window ends, at least 1: what Retry-After says. */
export const secondsLeft = (endMs: number, nowMs: number) => Math.max(1, Math.ceil((endMs - nowMs) / 1000));

/**
 * The address a limit counts against. An IPv6 client is given a whole /64 (its provider's
 * smallest usual assignment, so one household cannot walk through addresses it owns); an
 * IPv4-mapped address is the IPv4 one; a port is dropped.
 */
export function addressKey(address: string): string {
  let text = address.trim().toLowerCase();
  if (text.startsWith('[')) text = text.slice(1, text.indexOf(']'));
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  if (text.startsWith('::ffff:') && /^\d+\.\d+\.\d+\.\d+$/.test(text.slice(7))) return text.slice(7);
  if (!/^[0-9a-f:]+$/.test(text) || text.split('::').length > 2) return text;
  const [head = '', tail = ''] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  if (left.length + right.length > 8) return text;
  const groups = text.includes('::') ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Who a limit counts: the signed-in account where there is one, else the address. */
export function clientKey(account: string | null, address: string | null): string {
  if (account) return `account:${account}`;
  return `address:${address ? addressKey(address) : 'unknown'}`;
}
