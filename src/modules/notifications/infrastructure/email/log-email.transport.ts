import { Injectable, Logger } from '@nestjs/common';
import { EmailTransport, OutgoingEmail } from '../../application/ports/email-transport.port';

/** EMAIL_TRANSPORT=log (the default): writes the message to the log instead of sending it. */
@Injectable()
export class LogEmailTransport extends EmailTransport {
  readonly kind = 'log';
  private readonly logger = new Logger('Email');

  async send(email: OutgoingEmail): Promise<void> {
    this.logger.log(
      { to: email.to.email, subject: email.subject, messageId: email.messageId, text: email.text },
      `email to ${email.to.email}: ${email.subject}`,
    );
  }
}
