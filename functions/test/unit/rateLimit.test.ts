import { describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config.js';
import { definitions } from '../../src/definitions.js';
import { addressKey, clientKey, parseRateLimit, secondsLeft, windowAt } from '../../src/domain/rateLimit.js';
import { MemoryRateCounter } from '../../src/adapters/memoryRateCounter.js';
import { systemClock } from '../../src/composition.js';
import { enforceRateLimit } from '../../src/http/rateLimit.js';
import type { RateCounter, Services } from '../../src/ports.js';
import type { ApiRequest } from '../../src/http/types.js';

describe('rate limits', () => {
  it('are on by default, each from its own setting, and all off with RATE_LIMITS=off', () => {
    expect(readConfig({}).rateLimits).toEqual({
      orders: { limit: 5, windowSeconds: 600 },
      cancels: { limit: 10, windowSeconds: 600 },
      claims: { limit: 10, windowSeconds: 600 },
      payments: { limit: 10, windowSeconds: 600 },
      searches: { limit: 60, windowSeconds: 60 },
    });
    expect(readConfig({ RATE_LIMIT_ORDERS: '2/1h' }).rateLimits?.orders).toEqual({ limit: 2, windowSeconds: 3600 });
    expect(readConfig({ RATE_LIMITS: 'off' }).rateLimits).toBeNull();
    for (const bad of ['5', '5/10', '0/1m', '5/25h', 'five/1m']) expect(() => readConfig({ RATE_LIMIT_ORDERS: bad }), bad).toThrow(/RATE_LIMIT_ORDERS/);
  });

  it('are declared on placing orders, customer cancels, claims, payment attempts and catalog searches', () => {
    const limited = Object.fromEntries(definitions.flatMap((d) => (d.kind === 'http' && d.contract.rateLimit ? [[d.name, d.contract.rateLimit]] : [])));
    expect(limited).toEqual({ getProducts: 'searches', postOrder: 'orders', cancelOrder: 'cancels', payOrder: 'payments', confirmPayment: 'payments', claimMyOrders: 'claims' });
  });

  it.each([
    ['5/10m', { limit: 5, windowSeconds: 600 }],
    [' 5 / 10 m \n', { limit: 5, windowSeconds: 600 }],
    ['1/1s', { limit: 1, windowSeconds: 1 }],
    ['100/24h', { limit: 100, windowSeconds: 86_400 }],
    ['999999/1440m', { limit: 999_999, windowSeconds: 86_400 }],
  ])('read %j as a limit', (text, limit) => expect(parseRateLimit(text)).toEqual(limit));

  it.each(['', '0/1m', '5/0s', '5/25h', '5/1441m', '5/10', '5', 'x5/10m', '5/10mx', '5x/10m', '5/10xm', '5/-1m', '1000000/1m', '5/10000s'])(
    'refuse %j as a limit',
    (text) => expect(parseRateLimit(text)).toBeNull(),
  );

  it('count in fixed windows every instance agrees on', () => {
    const limit = parseRateLimit('5/10m')!;
    const window = windowAt(limit, Date.UTC(2026, 0, 1, 12, 34, 56));
    expect(new Date(window.startMs).toISOString()).toBe('2026-01-01T12:30:00.000Z');
    expect(new Date(window.endMs).toISOString()).toBe('2026-01-01T12:40:00.000Z');
    expect(secondsLeft(window.endMs, window.endMs - 1500)).toBe(2);
    expect(secondsLeft(window.endMs, window.endMs)).toBe(1);
  });

  it('count a signed-in account as itself, an IPv6 client by its /64, and drop ports', () => {
    expect(clientKey('github/ada', '203.0.113.9')).toBe('account:github/ada');
    expect(clientKey(null, '203.0.113.9:51234')).toBe('address:203.0.113.9');
    expect(clientKey(null, '::ffff:203.0.113.9')).toBe('address:203.0.113.9');
    expect(clientKey(null, null)).toBe('address:unknown');
    expect(addressKey('2001:db8:0:12::1')).toBe('2001:db8:0:12::/64');
    expect(addressKey('[2001:0db8:0000:0012:ffff::7]:443')).toBe('2001:db8:0:12::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    // Not an address: kept as it came, never a crash.
    expect(addressKey('1:2:3:4:5:6:7:8:9')).toBe('1:2:3:4:5:6:7:8:9');
    expect(addressKey('a::b::c')).toBe('a::b::c');
  });

  it.each([
    [' 203.0.113.9 ', '203.0.113.9'],
    ['203.0.113.90:8080', '203.0.113.90'],
    ['::ffff:203.0.113.90', '203.0.113.90'],
    ['[::ffff:198.51.100.7]:443', '198.51.100.7'],
    ['2001:DB8::1', '2001:db8:0:0::/64'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['1::2:3:4:5:6:7', '1:0:2:3::/64'],
    ['::', '0:0:0:0::/64'],
    // Mapped in form only: the rest is IPv6 (::ffff:0:abcd), not an IPv4 address.
    ['::ffff:abcd', '0:0:0:0::/64'],
    // Not addresses: as they came (lower-cased), each its own key.
    ['203.0.113.9:80x', '203.0.113.9:80x'],
    ['x203.0.113.9:80', 'x203.0.113.9:80'],
    ['::ffff:203.0.113.9x', '::ffff:203.0.113.9x'],
    ['1:2:3:4:5::6:7:8:9', '1:2:3:4:5::6:7:8:9'],
    ['unix-socket', 'unix-socket'],
  ])('key the address %j as %j', (address, key) => expect(addressKey(address)).toBe(key));
});

describe('the pipeline step', () => {
  it('stops writing to the store once this instance alone has seen a client past its limit', async () => {
    const shared = new MemoryRateCounter(systemClock);
    let writes = 0;
    const counting: RateCounter = { hit: (key, end) => ((writes += 1), shared.hit(key, end)) };
    const services = {
      config: readConfig({ RATE_LIMIT_ORDERS: '3/1h' }),
      clock: systemClock,
      sharedRateCounter: counting,
      instanceRateCounter: new MemoryRateCounter(systemClock),
    } as unknown as Services;
    const request: ApiRequest = { method: 'POST', url: new URL('http://h/api/orders'), params: {}, headers: { get: () => null }, body: '{}', bytes: Buffer.from('{}'), remoteAddress: '198.51.100.7' };
    const outcomes: string[] = [];
    for (let index = 0; index < 10; index++) {
      outcomes.push(await enforceRateLimit('orders', request, undefined, services).then(() => 'ok', (error: { code: string }) => error.code));
    }
    expect(outcomes).toEqual(['ok', 'ok', 'ok', ...Array(7).fill('rate_limited')]);
    expect(writes).toBe(3);
  });
});
