import type { TokenCredential } from '@azure/core-auth';
import type { EmailClient } from '@azure/communication-email';
import type { OrderMail } from '../../domain/orderMail.js';
import type { Mailer } from '../../ports.js';

/** How long one send may wait for Azure to report the message handed on, before the try counts as failed. */
const SEND_BUDGET_MS = 30_000;

/**
 * Azure Communication Services Email (ACS_EMAIL_ENDPOINT), reached with the Function App's
 * managed identity: no connection string or key. `from` must be a sender address of a domain
 * linked to the Communication Services resource (infra/modules/email.bicep links an Azure-managed one).
 */
export class AcsMailer implements Mailer {
  readonly provider = 'acs';
  private client: Promise<EmailClient> | undefined;

  constructor(
    private readonly endpoint: string,
    readonly from: string,
    private readonly credential: () => Promise<TokenCredential>,
  ) {}

  private connect(): Promise<EmailClient> {
    this.client ??= (async () => {
      const { EmailClient } = await import('@azure/communication-email');
      return new EmailClient(this.endpoint, await this.credential());
    })();
    return this.client;
  }

  async send(mail: OrderMail): Promise<void> {
    const client = await this.connect();
    const abortSignal = AbortSignal.timeout(SEND_BUDGET_MS);
    const poller = await client.beginSend(
      {
        // The address alone: the name recipients see is the sender username's display name.
        senderAddress: /<([^>]+)>/.exec(this.from)?.[1] ?? this.from,
        content: { subject: mail.subject, plainText: mail.text, html: mail.html },
        recipients: { to: [{ address: mail.to, ...(mail.toName ? { displayName: mail.toName } : {}) }] },
        headers: { 'Message-ID': mail.messageId },
      },
      { abortSignal },
    );
    const result = await poller.pollUntilDone({ abortSignal });
    if (result.status !== 'Succeeded') throw new Error(`Azure Communication Services did not send it: ${result.status}${result.error?.message ? `: ${result.error.message}` : ''}`);
  }

  /** The identity gets a token for the service: the nearest thing to a ping that sends nothing. */
  async ping(): Promise<void> {
    const token = await (await this.credential()).getToken('https://communication.azure.com/.default');
    if (!token) throw new Error('the managed identity got no token for Azure Communication Services');
  }
}
