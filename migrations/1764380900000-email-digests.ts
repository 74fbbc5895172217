import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Email digests (issue 17). `notification_preferences` holds one row per (user, channel, type) and
 * none for a user who switched nothing, so the per-user window lives in its own table. A window is a
 * row of `email_digests`: at most one open (unsent) per user; held deliveries stay `pending` with
 * `next_attempt_at` = the window's close and `digest_id` set, so the sweeper that already re-queues
 * due rows is what flushes a window after a crash. `sent_at` is set in the transaction that marks
 * every folded row sent.
 */
export class EmailDigests1764380900000 implements MigrationInterface {
  name = 'EmailDigests1764380900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications.email_digest_settings (
        user_id uuid PRIMARY KEY,
        email_digest text NOT NULL DEFAULT 'off',
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE notifications.email_digests (
        id uuid PRIMARY KEY,
        user_id uuid NOT NULL,
        opened_at timestamptz NOT NULL DEFAULT now(),
        closes_at timestamptz NOT NULL,
        sent_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX email_digests_one_open_per_user ON notifications.email_digests (user_id) WHERE sent_at IS NULL`);
    await q.query(`ALTER TABLE notifications.deliveries ADD COLUMN digest_id uuid`);
    await q.query(`CREATE INDEX deliveries_digest_id ON notifications.deliveries (digest_id) WHERE digest_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications.deliveries_digest_id`);
    await q.query(`ALTER TABLE notifications.deliveries DROP COLUMN digest_id`);
    await q.query(`DROP TABLE notifications.email_digests`);
    await q.query(`DROP TABLE notifications.email_digest_settings`);
  }
}
