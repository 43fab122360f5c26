import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/config.js';

describe('configuration', () => {
  it('has working defaults for a laptop', () => {
    const config = readConfig({});
    expect(config).toMatchObject({
      adapters: 'embedded',
      databaseFile: 'data/store.db',
      queue: { lockDurationMs: 60_000, maxDeliveryCount: 10 },
      outbox: { resendAfterMs: 30_000, resendUntilMs: 300_000 },
      virtualCustomerOrdersPerHour: 0,
      virtualWorkerOrdersPerHour: 0,
      seedCatalog: true,
      local: { port: 7071, swaPort: 4280 },
    });
  });

  it('names every malformed setting in one error', () => {
    const read = () => readConfig({ QUEUE_MAX_DELIVERY_COUNT: 'ten', VIRTUAL_WORKER_ORDERS_PER_HOUR: '-5', STORE_ADAPTERS: 'cloud' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/QUEUE_MAX_DELIVERY_COUNT[\s\S]*VIRTUAL_WORKER_ORDERS_PER_HOUR|VIRTUAL_WORKER_ORDERS_PER_HOUR[\s\S]*QUEUE_MAX_DELIVERY_COUNT/);
    expect(read).toThrow(/STORE_ADAPTERS/);
  });

  it('reads the timer schedules, Azure\'s sparse ones by default', () => {
    const { schedules } = readConfig({});
    expect(schedules.OUTBOX_SWEEP_SCHEDULE.expression).toBe('0 * * * * *');
    expect(schedules.VIRTUAL_ACTORS_SCHEDULE.expression).toBe('0 */30 * * * *');
    expect(readConfig({ VIRTUAL_ACTORS_SCHEDULE: ' */10 * * * * * ' }).schedules.VIRTUAL_ACTORS_SCHEDULE.expression).toBe('*/10 * * * * *');
  });

  it('stops the start on a schedule the Functions host would refuse, naming the setting', () => {
    const read = () => readConfig({ VIRTUAL_ACTORS_SCHEDULE: '*/30 * * * *', OUTBOX_SWEEP_SCHEDULE: '0 * * L * *', QUEUE_MAX_DELIVERY_COUNT: 'ten' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/VIRTUAL_ACTORS_SCHEDULE: must be an NCRONTAB schedule of six fields/);
    expect(read).toThrow(/OUTBOX_SWEEP_SCHEDULE: "L" is not an NCRONTAB field/);
    expect(read).toThrow(/QUEUE_MAX_DELIVERY_COUNT/);
  });

  it('refuses outbox sweeps so far apart that a lost send could age out of the range between two of them', () => {
    // The range is 30 s to 300 s after the order: 270 s between sweeps at most.
    expect(() => readConfig({ OUTBOX_SWEEP_SCHEDULE: '0 */5 * * * *' })).toThrow(/OUTBOX_SWEEP_SCHEDULE: "0 \*\/5 \* \* \* \*" does not sweep from .* longer than the 270 s/);
    expect(() => readConfig({ OUTBOX_SWEEP_SCHEDULE: '0 * 9-17 * * *' })).toThrow(/OUTBOX_SWEEP_SCHEDULE/);
    expect(readConfig({ OUTBOX_SWEEP_SCHEDULE: '0 */4 * * * *' }).schedules.OUTBOX_SWEEP_SCHEDULE.expression).toBe('0 */4 * * * *');
    expect(readConfig({ OUTBOX_SWEEP_SCHEDULE: '0 0 * * * *', QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS: '7260' }).schedules.OUTBOX_SWEEP_SCHEDULE.expression).toBe('0 0 * * * *');
  });

  it('refuses an outbox delay the duplicate detection window leaves no time for', () => {
    expect(() => readConfig({ OUTBOX_RESEND_AFTER_SECONDS: '300' })).toThrow(/OUTBOX_RESEND_AFTER_SECONDS: must be under half of QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS \(300\)/);
    expect(readConfig({ OUTBOX_RESEND_AFTER_SECONDS: '300', QUEUE_DUPLICATE_DETECTION_WINDOW_SECONDS: '3600' }).outbox).toEqual({ resendAfterMs: 300_000, resendUntilMs: 1_800_000 });
  });

  it('reads IMAGE_URL_HOSTS as lower-case hostnames, none by default, and names a bad one', () => {
    expect(readConfig({}).imageUrlHosts).toEqual([]);
    expect(readConfig({ IMAGE_URL_HOSTS: ' CDN.example.com, images.example.org ,' }).imageUrlHosts).toEqual(['cdn.example.com', 'images.example.org']);
    for (const bad of ['https://cdn.example.com', 'cdn.example.com/pictures', 'cdn.example.com:443', '*.example.com']) {
      expect(() => readConfig({ IMAGE_URL_HOSTS: bad }), bad).toThrow(/IMAGE_URL_HOSTS: must be hostnames/);
    }
  });
});

describe('configuration for Azure', () => {
  it('takes identity endpoints or connection strings', () => {
    const config = readConfig({
      STORE_ADAPTERS: 'azure',
      MONGODB_URI: 'mongodb://example.invalid:10255/?ssl=true',
      ServiceBusConnection__fullyQualifiedNamespace: 'bestbuy.servicebus.windows.net',
      ImagesStorage__blobServiceUri: 'https://bestbuyimages.blob.core.windows.net',
    });
    expect(config.azure).toEqual({
      mongo: { uri: 'mongodb://example.invalid:10255/?ssl=true', database: 'bestbuy' },
      serviceBus: { endpoint: 'bestbuy.servicebus.windows.net' },
      images: { endpoint: 'https://bestbuyimages.blob.core.windows.net', container: 'product-images' },
    });
    expect(readConfig({}).azure).toBeUndefined();
  });

  it('names every missing Azure setting at once', () => {
    const read = () => readConfig({ STORE_ADAPTERS: 'azure' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/MONGODB_URI[\s\S]*ServiceBusConnection__fullyQualifiedNamespace[\s\S]*ImagesStorage__blobServiceUri/);
  });
});

describe('configuration for the local host on the MongoDB stores', () => {
  it('needs a MongoDB connection string and nothing else of Azure', () => {
    const config = readConfig({ STORE_ADAPTERS: 'mongo', MONGODB_URI: 'mongodb://127.0.0.1:27017/?maxPoolSize=1', MONGODB_DATABASE: 'store_test' });
    expect(config.mongo).toEqual({ uri: 'mongodb://127.0.0.1:27017/?maxPoolSize=1', database: 'store_test' });
    expect(config.azure).toBeUndefined();
    expect(readConfig({}).mongo).toBeUndefined();
    expect(() => readConfig({ STORE_ADAPTERS: 'mongo' })).toThrow(/MONGODB_URI: required when STORE_ADAPTERS is mongo/);
  });
});

describe('configuration of order emails', () => {
  it('is off unless a mail service is named, and links to the local Static Web Apps CLI by default', () => {
    expect(readConfig({}).mail).toEqual({ provider: 'off', storeUrl: 'http://127.0.0.1:4280' });
    expect(readConfig({ SWA_PORT: '5000', STORE_PUBLIC_URL: 'https://shop.example.com/' }).mail.storeUrl).toBe('https://shop.example.com');
  });

  it('takes the service its setting implies, or the one MAIL_PROVIDER names', () => {
    expect(readConfig({ SMTP_URL: 'smtp://127.0.0.1:1025' }).mail).toMatchObject({ provider: 'smtp', smtpUrl: 'smtp://127.0.0.1:1025', from: 'BestBuy Store <orders@bestbuy.localhost>' });
    const acs = { ACS_EMAIL_ENDPOINT: 'https://shop.europe.communication.azure.com', MAIL_FROM: 'DoNotReply@1234.azurecomm.net' };
    expect(readConfig({ ...acs, SMTP_URL: 'smtp://127.0.0.1:1025' }).mail).toMatchObject({ provider: 'acs', endpoint: acs.ACS_EMAIL_ENDPOINT, from: acs.MAIL_FROM });
    expect(readConfig({ ...acs, MAIL_PROVIDER: 'off' }).mail.provider).toBe('off');
  });

  it('names what a chosen service lacks, and a malformed address or URL', () => {
    expect(() => readConfig({ MAIL_PROVIDER: 'smtp' })).toThrow(/SMTP_URL: required when MAIL_PROVIDER is smtp/);
    expect(() => readConfig({ MAIL_PROVIDER: 'acs' })).toThrow(/ACS_EMAIL_ENDPOINT: required[\s\S]*MAIL_FROM: required/);
    expect(() => readConfig({ SMTP_URL: 'http://mail.example.com' })).toThrow(/SMTP_URL: must be an smtp:\/\/ or smtps:\/\/ URL/);
    expect(() => readConfig({ SMTP_URL: 'smtp://127.0.0.1', MAIL_FROM: 'not an address' })).toThrow(/MAIL_FROM: must be an email address/);
    expect(readConfig({ SMTP_URL: 'smtp://127.0.0.1', MAIL_FROM: 'Shop <orders@shop.example.com>' }).mail).toMatchObject({ from: 'Shop <orders@shop.example.com>' });
  });
});

describe('configuration of payments', () => {
  const stripeKeys = { STRIPE_SECRET_KEY: 'sk_test_1', STRIPE_WEBHOOK_SECRET: 'whsec_1', STRIPE_PUBLISHABLE_KEY: 'pk_test_1' };

  it('takes payment with the demo provider unless Stripe is chosen, whatever Stripe keys are about', () => {
    expect(readConfig({}).payments).toEqual({ provider: 'demo', holdMs: 15 * 60_000 });
    expect(readConfig(stripeKeys).payments).toEqual({ provider: 'demo', holdMs: 15 * 60_000 });
  });

  it('reads Stripe\'s keys, and STRIPE_API_URL for a mock of its API', () => {
    expect(readConfig({ PAYMENT_PROVIDER: 'stripe', ...stripeKeys, STRIPE_API_URL: 'http://127.0.0.1:12111' }).payments).toEqual({
      provider: 'stripe',
      holdMs: 15 * 60_000,
      stripe: { secretKey: 'sk_test_1', webhookSecret: 'whsec_1', publishableKey: 'pk_test_1', apiUrl: new URL('http://127.0.0.1:12111') },
    });
  });

  it('will not start on Stripe without all three keys, naming each one missing', () => {
    const read = () => readConfig({ PAYMENT_PROVIDER: 'stripe', STRIPE_SECRET_KEY: 'sk_test_1' });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/STRIPE_WEBHOOK_SECRET: required when PAYMENT_PROVIDER is stripe[\s\S]*STRIPE_PUBLISHABLE_KEY: required/);
    expect(() => readConfig({ PAYMENT_PROVIDER: 'paypal' })).toThrow(/PAYMENT_PROVIDER/);
    expect(() => readConfig({ PAYMENT_PROVIDER: 'stripe', ...stripeKeys, STRIPE_API_URL: 'ftp://mock' })).toThrow(/STRIPE_API_URL: must be an http or https URL/);
  });
});
