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

  constructor(smtpUrl: string, sendTimeoutMs: number, poolSize = 16) {
    super();
    this.transporter = createTransport({
      url: smtpUrl,
      pool: true,
      // SMTP_POOL_SIZE connections, each reused for many messages (no handshake per email). When
      // the email worker runs more jobs than that, a message waits for a free connection; the
      // attempt keeps renewing its lease meanwhile, so waiting never lets a second worker take over.
      maxConnections: poolSize,
      maxMessages: 1000,
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
