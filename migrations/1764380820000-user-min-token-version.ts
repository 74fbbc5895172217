import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `users.min_token_version`: access tokens carry the user version they were issued at (`ver`); one
 * below this column is refused. A password change and a deactivation set it to the version they
 * produce, so every session opened before them ends at once — and stays ended after a
 * reactivation. Existing rows start at 1: every token issued so far stays valid.
 */
export class UserMinTokenVersion1764380820000 implements MigrationInterface {
  name = 'UserMinTokenVersion1764380820000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users.users ADD COLUMN min_token_version integer NOT NULL DEFAULT 1`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users.users DROP COLUMN min_token_version`);
  }
}
