import { join } from 'node:path';

/** A real SMTP server on loopback that keeps every mail it is sent, with a web page and a REST API to read them. */
export interface MailCatcher {
  /** What SMTP_URL is set to, so the store sends here. */
  smtpUrl: string;
  /** The web page listing every mail; its REST API is under /api (GET /api/email). */
  webUrl: string;
  close(): Promise<void>;
}

export interface MailCatcherOptions {
  /** 0 picks a free port. */
  smtpPort: number;
  webPort: number;
  /** Where mails are kept as .eml files, so they outlive a restart. */
  directory: string;
}

/**
 * MailDev (the `maildev` package, a development dependency), in this process: it ends with the
 * process however that ends. Both servers listen on 127.0.0.1 only, so nothing else on the
 * network can send to it or read the mails.
 */
export async function startMailCatcher(options: MailCatcherOptions): Promise<MailCatcher> {
  const { MailDev } = await import('maildev');
  const maildev = new MailDev({
    smtp: options.smtpPort,
    ip: '127.0.0.1',
    web: options.webPort,
    webIp: '127.0.0.1',
    mailDirectory: options.directory,
    // A store that runs for days keeps the newest thousand mails, not every one the virtual customer caused.
    maxEmails: 1000,
    silent: true,
  });
  const servers = await maildev.start();
  const webPort = servers.api?.getPort();
  if (!webPort) throw new Error('the mail catcher started without its web page');
  return {
    smtpUrl: `smtp://127.0.0.1:${servers.smtp.getPort()}`,
    webUrl: `http://127.0.0.1:${webPort}`,
    close: () => maildev.stop(),
  };
}

/** The mail catcher's folder beside the store's SQLite file. */
export const mailDirectoryIn = (dataDir: string) => join(dataDir, 'mail');
