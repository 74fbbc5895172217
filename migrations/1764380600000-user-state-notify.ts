import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every change to a user row (by the application, the CLI or an operator's SQL) notifies channel
 * `taskwire_user_state` with the user's id when its transaction commits. API processes cache the
 * per-request user state (role, active, version) and drop an entry as soon as its notification
 * arrives, so a role change or deactivation reaches every process without a read per request.
 */
export class UserStateNotify1764380600000 implements MigrationInterface {
  name = 'UserStateNotify1764380600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION users.notify_user_state() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('taskwire_user_state', OLD.id::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER users_notify_state AFTER UPDATE OR DELETE ON users.users
        FOR EACH ROW EXECUTE FUNCTION users.notify_user_state()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER IF EXISTS users_notify_state ON users.users`);
    await q.query(`DROP FUNCTION IF EXISTS users.notify_user_state()`);
  }
}
