import { newId } from '../../../kernel';
import { QueueNames } from '../../../platform/queue/queue-names';
import { IN_APP_CHANNEL } from '../domain/notification-channels';
import { typesCarriedBy } from '../domain/notification-catalogue';
import { InboxNotification, NotificationInbox } from './ports/notification-inbox.port';
import { ChannelMessage, NotificationChannel, NotificationChannelAdapter } from './ports/notification-channel.port';

/**
 * In-app: a delivery becomes a row in the recipient's inbox. Transactional: the inbox row and
 * "sent" commit together, so an in-app notification is delivered exactly once. NOTIFY_CONCURRENCY
 * jobs at once per process.
 */
@NotificationChannelAdapter({
  name: IN_APP_CHANNEL,
  preferenceKey: 'inApp',
  queue: QueueNames.inApp,
  eventTypes: typesCarriedBy(IN_APP_CHANNEL),
  transactional: true,
})
export class InAppChannel implements NotificationChannel {
  constructor(private readonly inbox: NotificationInbox) {}

  async deliver(message: ChannelMessage): Promise<void> {
    await this.inbox.add(inboxNotificationOf(message));
  }
}

/** The inbox row of an in-app delivery (also written at planning, see NotificationPublisher). */
export function inboxNotificationOf(
  message: Pick<ChannelMessage, 'deliveryId' | 'event' | 'recipient' | 'title' | 'body' | 'link'>,
): InboxNotification {
  return {
    id: newId(),
    recipientId: message.recipient.id,
    deliveryId: message.deliveryId,
    eventId: message.event.id,
    type: message.event.type,
    title: message.title,
    body: message.body,
    link: message.link,
    taskId: message.event.aggregateType === 'task' ? message.event.aggregateId : null,
    actorId: message.event.actorId,
    // When it happened, not when it was delivered: the inbox is ordered by it.
    createdAt: new Date(message.event.occurredAt),
    readAt: null,
  };
}
