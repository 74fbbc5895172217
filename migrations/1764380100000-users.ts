import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Users context: users and refresh tokens (schema users). Emails are stored normalized (trimmed,
 * lower-cased by the application), so the unique index on `email` makes them unique
 * case-insensitively. No foreign keys to other schemas.
 */
export class Users1764380100000 implements MigrationInterface {
  name = 'Users1764380100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS users`);
    await q.query(`
      CREATE TABLE users.users (
        id            uuid         PRIMARY KEY,
        email         varchar(254) NOT NULL,
        name          varchar(100) NOT NULL,
        role          text         NOT NULL CONSTRAINT users_role_check CHECK (role IN ('admin', 'manager', 'member')),
        active        boolean      NOT NULL,
        password_hash text         NOT NULL,
        version       integer      NOT NULL CONSTRAINT users_version_check CHECK (version >= 1),
        created_at    timestamptz  NOT NULL,
        updated_at    timestamptz  NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_unique ON users.users (email)`);
    // Keyset pagination of the directory: (created_at, id).
    await q.query(`CREATE INDEX users_created_at_id ON users.users (created_at, id)`);
    await q.query(`
      CREATE TABLE users.refresh_tokens (
        id          uuid        PRIMARY KEY,
        user_id     uuid        NOT NULL REFERENCES users.users (id) ON DELETE CASCADE,
        family_id   uuid        NOT NULL,
        token_hash  char(64)    NOT NULL,
        expires_at  timestamptz NOT NULL,
        rotated_at  timestamptz,
        revoked_at  timestamptz,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX refresh_tokens_token_hash_unique ON users.refresh_tokens (token_hash)`);
    await q.query(`CREATE INDEX refresh_tokens_family_id ON users.refresh_tokens (family_id)`);
    await q.query(`CREATE INDEX refresh_tokens_user_id ON users.refresh_tokens (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE users.refresh_tokens`);
    await q.query(`DROP TABLE users.users`);
    await q.query(`DROP SCHEMA IF EXISTS users`);
  }
}
