/** An in-app notification (one per in-app delivery). */
export interface InboxNotification {
  id: string;
  recipientId: string;
  deliveryId: string;
  eventId: string;
  type: string;
  title: string;
  body: string;
  link: string | null;
  taskId: string | null;
  actorId: string | null;
  createdAt: Date;
  readAt: Date | null;
}

/** Keyset position in an inbox (newest first by the event's time, then id). */
export interface InboxPosition {
  createdAt: Date;
  id: string;
}

export interface InboxPage {
  items: InboxNotification[];
  next: InboxPosition | null;
}

/** The in-app inbox (`notifications.notifications`). Writes join the ambient transaction. */
export abstract class NotificationInbox {
  /** Adds the notification of a delivery; a second add for the same delivery is a no-op. */
  abstract add(notification: InboxNotification): Promise<void>;
  /** add() of many (one statement in the adapter); this default adds one by one. */
  async addMany(notifications: readonly InboxNotification[]): Promise<void> {
    for (const n of notifications) await this.add(n);
  }
  /** Newest first (by when the event happened). */
  abstract list(recipientId: string, unreadOnly: boolean, limit: number, before: InboxPosition | null): Promise<InboxPage>;
  abstract unreadCount(recipientId: string): Promise<number>;
  /** false when the recipient has no such notification. */
  abstract markRead(recipientId: string, id: string): Promise<boolean>;
  abstract markAllRead(recipientId: string): Promise<number>;
}
