import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../src/config.js';

describe('configuration', () => {
  it('has working defaults for a laptop', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      adapters: 'embedded',
      databaseFile: 'data/store.db',
      queue: { lockDurationMs: 60_000, maxDeliveryCount: 10 },
      outboxResendAfterMs: 30_000,
      virtualCustomerOrdersPerHour: 0,
      virtualWorkerOrdersPerHour: 0,
      local: { port: 7071, swaPort: 4280, seedCatalog: true },
    });
  });

  it('names every malformed setting in one error', () => {
    const read = () => readConfig({ QUEUE_MAX_DELIVERY_COUNT: 'ten', VIRTUAL_WORKER_ORDERS_PER_HOUR: '-5', STORE_ADAPTERS: 'cloud' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/QUEUE_MAX_DELIVERY_COUNT[\s\S]*VIRTUAL_WORKER_ORDERS_PER_HOUR|VIRTUAL_WORKER_ORDERS_PER_HOUR[\s\S]*QUEUE_MAX_DELIVERY_COUNT/);
    expect(read).toThrow(/STORE_ADAPTERS/);
  });
});
