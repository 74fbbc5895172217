import { Injectable } from '@nestjs/common';
import { NotFoundError, isUuid } from '../../../kernel';
import { Page, decodeCursor, encodeCursor } from '../../../platform/http/pagination';
import { InboxNotification, InboxPosition, NotificationInbox } from './ports/notification-inbox.port';

/** An in-app notification as its recipient sees it. */
export interface NotificationView {
  id: string;
  eventId: string;
  type: string;
  title: string;
  body: string;
  link: string | null;
  taskId: string | null;
  actorId: string | null;
  read: boolean;
  readAt: string | null;
  createdAt: string;
}

export function toNotificationView(n: InboxNotification): NotificationView {
  return {
    id: n.id,
    eventId: n.eventId,
    type: n.type,
    title: n.title,
    body: n.body,
    link: n.link,
    taskId: n.taskId,
    actorId: n.actorId,
    read: n.readAt !== null,
    readAt: n.readAt ? n.readAt.toISOString() : null,
    createdAt: n.createdAt.toISOString(),
  };
}

function decodeInboxCursor(cursor: string): InboxPosition {
  return decodeCursor(cursor, (v) =>
    v.length === 3 && v[0] === 'n' && typeof v[1] === 'string' && !Number.isNaN(Date.parse(v[1])) && isUuid(v[2])
      ? { createdAt: new Date(v[1]), id: String(v[2]) }
      : null,
  );
}

/** A user's own inbox: nobody sees or touches anyone else's notifications (404 for those). */
@Injectable()
export class NotificationInboxService {
  constructor(private readonly inbox: NotificationInbox) {}

  async list(userId: string, unreadOnly: boolean, page: { limit: number; cursor?: string }): Promise<Page<NotificationView>> {
    const before = page.cursor ? decodeInboxCursor(page.cursor) : null;
    const result = await this.inbox.list(userId, unreadOnly, page.limit, before);
    return {
      data: result.items.map(toNotificationView),
      nextCursor: result.next ? encodeCursor(['n', result.next.createdAt.toISOString(), result.next.id]) : null,
    };
  }

  async unreadCount(userId: string): Promise<{ count: number }> {
    return { count: await this.inbox.unreadCount(userId) };
  }

  async markRead(userId: string, id: string): Promise<void> {
    if (!(await this.inbox.markRead(userId, id))) throw new NotFoundError('Notification', 'NOTIFICATION_NOT_FOUND');
  }

  async markAllRead(userId: string): Promise<void> {
    await this.inbox.markAllRead(userId);
  }
}
