import { readConfig } from '../config.js';
import { startLocalHost } from './host.js';
import { consoleLogger } from './logger.js';
import { requireFreePorts, requireStorefrontBuild, startStaticWebAppsCli, stopTogether } from './staticWebAppsCli.js';
import { LIVELY_SCHEDULE } from './timers.js';

/**
 * npm start keeps the store alive with a gentle demo pace unless the caller chose otherwise: the
 * timers tick every 10 s rather than Azure's cheap sparse defaults.
 */
const DEMO_DEFAULTS: Record<string, string> = {
  VIRTUAL_CUSTOMER_ORDERS_PER_HOUR: '120',
  VIRTUAL_WORKER_ORDERS_PER_HOUR: '120',
  OUTBOX_SWEEP_SCHEDULE: LIVELY_SCHEDULE,
  VIRTUAL_ACTORS_SCHEDULE: LIVELY_SCHEDULE,
};

/** The whole store on one machine: the local host on :7071 behind the Static Web Apps CLI on :4280. */
async function main(): Promise<void> {
  const log = consoleLogger('start');
  requireStorefrontBuild();
  for (const [name, value] of Object.entries(DEMO_DEFAULTS)) process.env[name] ??= value;
  const config = readConfig();
  await requireFreePorts([
    { port: config.local.port, setting: 'LOCAL_HOST_PORT' },
    { port: config.local.swaPort, setting: 'SWA_PORT' },
  ]);
  const host = await startLocalHost(config);
  log.info(`API on ${host.url}/api`);
  stopTogether(log, [startStaticWebAppsCli(host.url, config.local.swaPort)], () => host.close());
  log.info(`Store on http://127.0.0.1:${config.local.swaPort} (sign in at /.auth/login/aad)`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
