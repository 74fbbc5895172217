import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['deliveries', 'notifications', 'notification_preferences', 'webhook_endpoints'] as const;

/**
 * The Notifications context owns its own schema `notifications` (it had lived in `events`). A
 * move, not a copy: `ALTER TABLE … SET SCHEMA` keeps every row (ledger, inbox, preferences,
 * webhook endpoints and their secrets), index, constraint and the inbox → ledger foreign key.
 */
export class NotificationsSchema1764380700000 implements MigrationInterface {
  name = 'NotificationsSchema1764380700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS notifications`);
    for (const table of TABLES) await q.query(`ALTER TABLE events.${table} SET SCHEMA notifications`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TABLES) await q.query(`ALTER TABLE notifications.${table} SET SCHEMA events`);
    await q.query(`DROP SCHEMA notifications`);
  }
}
