import { QueueNames } from '../../../platform/queue/queue-names';
import { EMAIL_CHANNEL } from '../domain/notification-channels';
import { typesCarriedBy } from '../domain/notification-catalogue';
import { formatDigestEmail, formatEmail } from './email-formatter';
import { NotificationSettings } from './notification-settings';
import { EmailTransport } from './ports/email-transport.port';
import { ChannelMessage, NotificationChannel, NotificationChannelAdapter, NotificationRecipient } from './ports/notification-channel.port';

/** A closed digest window: its id (the Message-ID is derived from it), whom it is for, what it lists. */
export interface DigestMessage {
  digestId: string;
  recipient: NotificationRecipient;
  items: Array<{ deliveryId: string; title: string; link: string | null }>;
}

/** Email: lays the message's texts out as an email (subject, text, HTML) and hands it to the configured transport (NOTIFY_CONCURRENCY jobs at once per process). */
@NotificationChannelAdapter({
  name: EMAIL_CHANNEL,
  preferenceKey: 'email',
  queue: QueueNames.email,
  eventTypes: typesCarriedBy(EMAIL_CHANNEL),
})
export class EmailChannel implements NotificationChannel {
  constructor(
    private readonly transport: EmailTransport,
    private readonly settings: NotificationSettings,
  ) {}

  async deliver(message: ChannelMessage): Promise<void> {
    const email = formatEmail(message, message.recipient.name);
    const domain = /@([^>\s]+)>?\s*$/.exec(this.settings.mailFrom)?.[1] ?? 'taskwire.local';
    await this.transport.send({
      from: this.settings.mailFrom,
      to: { email: message.recipient.email, name: message.recipient.name },
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: `<${message.deliveryId}@${domain}>`,
      headers: { 'X-Taskwire-Delivery': message.deliveryId, 'X-Taskwire-Event': message.event.type },
    });
  }

  /**
   * One email for a whole digest window. Its Message-ID is derived from the window's id, so a resend
   * after a crash between the provider's accept and our commit is recognisable as the same email.
   */
  async deliverDigest(digest: DigestMessage): Promise<void> {
    const email = formatDigestEmail(digest.items, digest.recipient.name);
    await this.transport.send({
      from: this.settings.mailFrom,
      to: { email: digest.recipient.email, name: digest.recipient.name },
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: `<digest-${digest.digestId}@${this.domain()}>`,
      headers: { 'X-Taskwire-Digest': digest.digestId, 'X-Taskwire-Deliveries': digest.items.map((i) => i.deliveryId).join(',') },
    });
  }

  private domain(): string {
    return /@([^>\s]+)>?\s*$/.exec(this.settings.mailFrom)?.[1] ?? 'taskwire.local';
  }
}
