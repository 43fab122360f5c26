import type { TokenCredential } from '@azure/core-auth';
import type { MailConfig } from '../../config.js';
import type { Mailer } from '../../ports.js';
import { AcsMailer } from './acsMailer.js';
import { SmtpMailer } from './smtpMailer.js';

/** MAIL_PROVIDER=off: nothing is sent; the sender records each notice as not sent, and health says mail is off. */
export const mailOff: Mailer = {
  provider: 'off',
  from: '',
  send: async () => {
    throw new Error('mail is off (MAIL_PROVIDER=off)');
  },
  ping: async () => undefined,
};

/** The mail adapter the settings name; `credential` is the runtime's managed identity, made on first use otherwise. */
export function createMailer(config: MailConfig, credential?: () => TokenCredential): Mailer {
  switch (config.provider) {
    case 'off':
      return mailOff;
    case 'smtp':
      return new SmtpMailer(config.smtpUrl, config.from);
    case 'acs':
      return new AcsMailer(config.endpoint, config.from, async () => credential?.() ?? new (await import('@azure/identity')).DefaultAzureCredential());
  }
}
