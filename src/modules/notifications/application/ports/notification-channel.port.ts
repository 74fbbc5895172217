import { Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import { EventView } from '../../../events';

/** Who a user-channel message is for (read from the Users directory at send time). */
export interface NotificationRecipient {
  id: string;
  email: string;
  name: string;
}

/** One message to one user on one channel. */
export interface ChannelMessage {
  /**
   * The ledger row's id: stable across retries, so a provider that accepts an idempotency key (or
   * a receiver that deduplicates) can use it to drop a resend after a crash.
   */
  deliveryId: string;
  channel: string;
  /** 1 for the first attempt. */
  attempt: number;
  event: EventView;
  recipient: NotificationRecipient;
  /** Who caused the event (null for the system). */
  actor: { id: string; name: string } | null;
  /** Ready-made texts (the same an in-app notification shows). */
  title: string;
  body: string;
  /** Link into the app (`APP_PUBLIC_URL/tasks/<id>`), when the event is about something linkable. */
  link: string | null;
  /** What an email adds below the body (the catalogue entry's email lines; often empty). */
  emailLines: string[];
}

/**
 * The port a notification channel implements. `deliver` sends one message; it resolves when the
 * provider accepted it and throws otherwise — a `DeliveryFailure` says whether a retry can help;
 * any other error is classified centrally (timeouts, connection errors, SMTP/HTTP codes).
 * It must not retry by itself: the pipeline retries on the configured schedule.
 */
export interface NotificationChannel {
  deliver(message: ChannelMessage): Promise<void>;
}

export interface NotificationChannelOptions {
  /** Stable name, stored in the delivery ledger (`^[a-z][a-z0-9_]{1,39}$`; `webhook` is taken). */
  name: string;
  /** Key in the preferences API (`{<key>: {<type>: bool}}`); default: `name` in camelCase. */
  preferenceKey?: string;
  /** BullMQ queue of its jobs; default `notify-<name>`. */
  queue?: string;
  /**
   * Task event types it carries, each to the audience its catalogue entry gives that type (docs/api.md's
   * rules); default: every type that has an audience.
   */
  eventTypes?: readonly string[];
  /** Jobs processed at once per worker process (default 8). */
  concurrency?: number;
  /**
   * Deliver inside the database transaction that marks the delivery sent (for channels that only
   * write to our own database, like the in-app inbox: exactly once, no residual window).
   */
  transactional?: boolean;
}

export const NOTIFICATION_CHANNEL_METADATA = 'taskwire:notificationChannel';

/**
 * Marks a provider as a notification channel. Put the class in any module's `providers`; the
 * notifications pipeline discovers it at start-up (Nest's DiscoveryService), gives it a queue and
 * workers, a row in every user's preferences, and ledger rows per (event, channel, recipient).
 *
 *   @NotificationChannelAdapter({ name: 'chat', eventTypes: ['task.assigned'] })
 *   export class ChatChannel implements NotificationChannel { async deliver(message) { … } }
 */
export function NotificationChannelAdapter(options: NotificationChannelOptions): ClassDecorator {
  return applyDecorators(Injectable(), SetMetadata(NOTIFICATION_CHANNEL_METADATA, options));
}
