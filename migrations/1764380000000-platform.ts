import { MigrationInterface, QueryRunner } from 'typeorm';

/** Platform tables: idempotency keys for POST routes and process heartbeats (worker health). */
export class Platform1764380000000 implements MigrationInterface {
  name = 'Platform1764380000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS platform`);
    await q.query(`
      CREATE TABLE platform.idempotency_keys (
        user_id      text        NOT NULL,
        key          text        NOT NULL,
        method       text        NOT NULL,
        path         text        NOT NULL,
        fingerprint  text        NOT NULL,
        status       text        NOT NULL DEFAULT 'in_progress',
        response_status int,
        response_headers jsonb,
        response_body text,
        created_at   timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz NOT NULL,
        expires_at   timestamptz NOT NULL,
        PRIMARY KEY (user_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_expires_at ON platform.idempotency_keys (expires_at)`);
    await q.query(`
      CREATE TABLE platform.process_heartbeats (
        id          text        PRIMARY KEY,
        role        text        NOT NULL,
        hostname    text        NOT NULL,
        pid         int         NOT NULL,
        version     text        NOT NULL,
        started_at  timestamptz NOT NULL,
        beat_at     timestamptz NOT NULL,
        details     jsonb       NOT NULL DEFAULT '{}'
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE platform.process_heartbeats`);
    await q.query(`DROP TABLE platform.idempotency_keys`);
  }
}
