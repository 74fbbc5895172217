import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { NotificationPreferenceStore } from '../application/ports/notification-preference.store.port';
import { PreferenceSetting } from '../domain/notification-preferences';

/** Switched preferences in `notifications.notification_preferences` (only what a user set is stored). */
@Injectable()
export class PostgresNotificationPreferenceStore extends NotificationPreferenceStore {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async settingsOf(userIds: readonly string[]): Promise<Map<string, PreferenceSetting[]>> {
    const result = new Map<string, PreferenceSetting[]>();
    if (userIds.length === 0) return result;
    const rows: Array<{ user_id: string; channel: string; event_type: string; enabled: boolean }> = await this.txHost.tx.query(
      `SELECT user_id, channel, event_type, enabled FROM notifications.notification_preferences WHERE user_id = ANY($1::uuid[])`,
      [[...userIds]],
    );
    for (const row of rows) {
      const list = result.get(row.user_id) ?? [];
      list.push({ key: row.channel, eventType: row.event_type, enabled: row.enabled });
      result.set(row.user_id, list);
    }
    return result;
  }

  async save(userId: string, settings: readonly PreferenceSetting[]): Promise<void> {
    if (settings.length === 0) return;
    await this.txHost.tx.query(
      `INSERT INTO notifications.notification_preferences (user_id, channel, event_type, enabled, updated_at)
       SELECT $1, s.channel, s.event_type, s.enabled, now() FROM unnest($2::text[], $3::text[], $4::boolean[]) AS s(channel, event_type, enabled)
       ON CONFLICT (user_id, channel, event_type) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`,
      [userId, settings.map((s) => s.key), settings.map((s) => s.eventType), settings.map((s) => s.enabled)],
    );
  }
}
