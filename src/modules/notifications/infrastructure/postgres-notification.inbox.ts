import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { InboxNotification, InboxPage, InboxPosition, NotificationInbox } from '../application/ports/notification-inbox.port';
import { rowsOf } from './sql-rows';

interface NotificationRow {
  id: string;
  recipient_id: string;
  delivery_id: string;
  event_id: string;
  type: string;
  title: string;
  body: string;
  link: string | null;
  task_id: string | null;
  actor_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

const COLUMNS = 'id, recipient_id, delivery_id, event_id, type, title, body, link, task_id, actor_id, created_at, read_at';

function toNotification(row: NotificationRow): InboxNotification {
  return {
    id: row.id,
    recipientId: row.recipient_id,
    deliveryId: row.delivery_id,
    eventId: row.event_id,
    type: row.type,
    title: row.title,
    body: row.body,
    link: row.link,
    taskId: row.task_id,
    actorId: row.actor_id,
    createdAt: new Date(row.created_at),
    readAt: row.read_at ? new Date(row.read_at) : null,
  };
}

/**
 * The INSERT of many inbox rows, its parameters numbered from `$first` (a statement of its own, or a
 * part of another: the delivery ledger writes in-app rows and their inbox rows in one statement).
 * `onlyDeliveriesIn`: a query (say a CTE's name) naming the delivery ids whose rows are written.
 */
export function inboxInsert(list: readonly InboxNotification[], first = 1, onlyDeliveriesIn?: string): { sql: string; params: unknown[] } {
  const col = <K extends keyof InboxNotification>(key: K) => list.map((n) => n[key]);
  const types = ['uuid', 'uuid', 'uuid', 'uuid', 'text', 'text', 'text', 'text', 'uuid', 'uuid', 'timestamptz', 'timestamptz'];
  const args = types.map((t, i) => `$${first + i}::${t}[]`).join(', ');
  const sql =
    `INSERT INTO notifications.notifications (${COLUMNS})
       SELECT * FROM unnest(${args}) AS x(${COLUMNS})` +
    (onlyDeliveriesIn ? ` WHERE x.delivery_id IN (${onlyDeliveriesIn})` : '') +
    ` ON CONFLICT (delivery_id) DO NOTHING`;
  const params = [
    col('id'),
    col('recipientId'),
    col('deliveryId'),
    col('eventId'),
    col('type'),
    col('title'),
    col('body'),
    col('link'),
    col('taskId'),
    col('actorId'),
    col('createdAt'),
    col('readAt'),
  ];
  return { sql, params };
}

/** The in-app inbox in `notifications.notifications`; one row per in-app delivery (unique delivery_id). */
@Injectable()
export class PostgresNotificationInbox extends NotificationInbox {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async add(n: InboxNotification): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO notifications.notifications (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (delivery_id) DO NOTHING`,
      [n.id, n.recipientId, n.deliveryId, n.eventId, n.type, n.title, n.body, n.link, n.taskId, n.actorId, n.createdAt, n.readAt],
    );
  }

  override async addMany(list: readonly InboxNotification[]): Promise<void> {
    if (list.length === 0) return;
    const { sql, params } = inboxInsert(list);
    await this.txHost.tx.query(sql, params);
  }

  async list(recipientId: string, unreadOnly: boolean, limit: number, before: InboxPosition | null): Promise<InboxPage> {
    const params: unknown[] = [recipientId];
    const where = ['recipient_id = $1'];
    if (unreadOnly) where.push('read_at IS NULL');
    if (before) {
      params.push(before.createdAt, before.id);
      where.push(`(created_at, id) < ($${params.length - 1}, $${params.length})`);
    }
    params.push(limit + 1);
    const rows: NotificationRow[] = await this.txHost.tx.query(
      `SELECT ${COLUMNS} FROM notifications.notifications WHERE ${where.join(' AND ')} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map(toNotification);
    const last = items[items.length - 1];
    return { items, next: rows.length > limit ? { createdAt: last.createdAt, id: last.id } : null };
  }

  async unreadCount(recipientId: string): Promise<number> {
    const rows: Array<{ count: string }> = await this.txHost.tx.query(
      `SELECT count(*)::text AS count FROM notifications.notifications WHERE recipient_id = $1 AND read_at IS NULL`,
      [recipientId],
    );
    return Number(rows[0]?.count ?? 0);
  }

  async markRead(recipientId: string, id: string): Promise<boolean> {
    // Already read counts as found (the call is idempotent); someone else's is not found.
    const rows = rowsOf(
      await this.txHost.tx.query(
        `UPDATE notifications.notifications SET read_at = coalesce(read_at, now()) WHERE id = $1 AND recipient_id = $2 RETURNING 1`,
        [id, recipientId],
      ),
    );
    return rows.length === 1;
  }

  async markAllRead(recipientId: string): Promise<number> {
    const rows = rowsOf(
      await this.txHost.tx.query(
        `UPDATE notifications.notifications SET read_at = now() WHERE recipient_id = $1 AND read_at IS NULL RETURNING 1`,
        [recipientId],
      ),
    );
    return rows.length;
  }
}
