import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Transporter, createTransport } from 'nodemailer';
import { EmailTransport, OutgoingEmail } from '../../application/ports/email-transport.port';

/**
 * SMTP through nodemailer (SMTP_URL, e.g. smtp://user:pass@mail:587; smtps:// for implicit TLS).
 * Pooled connections; errors keep nodemailer's `responseCode` (4xx/5xx) and `code`, which the
 * shared classifier turns into retry or dead.
 */
@Injectable()
export class SmtpEmailTransport extends EmailTransport implements OnApplicationShutdown {
  readonly kind = 'smtp';
  private readonly transporter: Transporter;

  constructor(smtpUrl: string, sendTimeoutMs: number) {
    super();
    this.transporter = createTransport({
      url: smtpUrl,
      pool: true,
      // As many connections as the email worker runs jobs (EmailChannel concurrency): a message
      // never waits in the pool's queue, so the send timeout bounds the whole send (the lease).
      maxConnections: 8,
      maxMessages: 100,
      connectionTimeout: Math.min(10_000, sendTimeoutMs),
      greetingTimeout: Math.min(10_000, sendTimeoutMs),
      socketTimeout: sendTimeoutMs,
    });
  }

  async send(email: OutgoingEmail): Promise<void> {
    await this.transporter.sendMail({
      from: email.from,
      to: { name: email.to.name, address: email.to.email },
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: email.messageId,
      headers: email.headers,
    });
  }

  onApplicationShutdown(): void {
    this.transporter.close();
  }
}
