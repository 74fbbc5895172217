import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `users.min_token_version`: access tokens carry the user version they were issued at (`ver`); one
 * below this column is refused unless its session (`sid`) is `kept_session_id` — the session that
 * changed the password. A password change and a deactivation (which clears the kept session) set it
 * to the version they produce, so every other session opened before them ends at once — and stays
 * ended after a reactivation. Existing rows start at 1: every token issued so far stays valid.
 */
export class UserMinTokenVersion1764380820000 implements MigrationInterface {
  name = 'UserMinTokenVersion1764380820000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users.users ADD COLUMN min_token_version integer NOT NULL DEFAULT 1, ADD COLUMN kept_session_id uuid`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users.users DROP COLUMN kept_session_id, DROP COLUMN min_token_version`);
  }
}
