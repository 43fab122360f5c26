import { dirname } from 'node:path';
import { readConfig, type Config } from '../config.js';
import type { Logger } from '../ports.js';
import { startLocalHost } from './host.js';
import { consoleLogger } from './logger.js';
import { mailDirectoryIn, startMailCatcher, type MailCatcher } from './mailCatcher.js';
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

/** A developer who named no mail service gets the mail catcher, and reads there every email the store sent. */
const wantsMailCatcher = () => !process.env.MAIL_PROVIDER && !process.env.SMTP_URL && !process.env.ACS_EMAIL_ENDPOINT;

/** Started before the host, whose functions (and queue worker) read SMTP_URL from the environment. */
async function startLocalMailCatcher(config: Config, log: Logger): Promise<MailCatcher> {
  const catcher = await startMailCatcher({ ...config.local.mailCatcher, directory: mailDirectoryIn(dirname(config.databaseFile)) });
  process.env.SMTP_URL = catcher.smtpUrl;
  log.info(`Emails the store sends: ${catcher.webUrl} (SMTP on ${catcher.smtpUrl.replace('smtp://', '')})`);
  return catcher;
}

/** The whole store on one machine: the local host on :7071 behind the Static Web Apps CLI on :4280, and a mail catcher. */
async function main(): Promise<void> {
  const log = consoleLogger('start');
  requireStorefrontBuild();
  for (const [name, value] of Object.entries(DEMO_DEFAULTS)) process.env[name] ??= value;
  const settings = readConfig();
  const catching = wantsMailCatcher();
  await requireFreePorts([
    { port: settings.local.port, setting: 'LOCAL_HOST_PORT' },
    { port: settings.local.swaPort, setting: 'SWA_PORT' },
    ...(catching
      ? [
          { port: settings.local.mailCatcher.smtpPort, setting: 'MAIL_CATCHER_SMTP_PORT' },
          { port: settings.local.mailCatcher.webPort, setting: 'MAIL_CATCHER_WEB_PORT' },
        ]
      : []),
  ]);
  const catcher = catching ? await startLocalMailCatcher(settings, log) : null;
  const config = catcher ? readConfig() : settings;
  const host = await startLocalHost(config);
  log.info(`API on ${host.url}/api`);
  stopTogether(log, [startStaticWebAppsCli(host.url, config.local.swaPort)], async () => {
    await host.close();
    await catcher?.close();
  });
  log.info(`Store on http://127.0.0.1:${config.local.swaPort} (sign in at /.auth/login/aad)`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
