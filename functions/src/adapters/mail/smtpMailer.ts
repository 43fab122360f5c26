import type { Transporter } from 'nodemailer';
import type { OrderMail } from '../../domain/orderMail.js';
import type { Mailer } from '../../ports.js';

/**
 * Bounds on one exchange with the server, so a server that hangs costs a try, never a sweep:
 * nodemailer's defaults wait up to two minutes to connect and ten for a quiet socket.
 */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000 };

/** Any SMTP server (SMTP_URL, e.g. smtp://user:pass@mail.example.com:587), through nodemailer, loaded on first use. */
export class SmtpMailer implements Mailer {
  readonly provider = 'smtp';
  private transport: Promise<Transporter> | undefined;

  constructor(
    private readonly url: string,
    readonly from: string,
  ) {}

  private connect(): Promise<Transporter> {
    this.transport ??= import('nodemailer').then(({ default: nodemailer }) => nodemailer.createTransport({ url: this.url, ...TIMEOUTS }));
    return this.transport;
  }

  async send(mail: OrderMail): Promise<void> {
    const transport = await this.connect();
    await transport.sendMail({
      from: this.from,
      to: mail.toName ? { name: mail.toName, address: mail.to } : mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
    });
  }

  async ping(): Promise<void> {
    await (await this.connect()).verify();
  }
}
