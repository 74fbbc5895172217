import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Events context: one table that is both the transactional outbox and the audit trail, and the
 * record of which handler has processed which event (idempotent consumers).
 */
export class Events1764380200000 implements MigrationInterface {
  name = 'Events1764380200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS events`);
    await q.query(`
      CREATE TABLE events.events (
        seq             bigint GENERATED ALWAYS AS IDENTITY,
        id              uuid        NOT NULL PRIMARY KEY,
        type            text        NOT NULL,
        aggregate_type  text        NOT NULL,
        aggregate_id    uuid        NOT NULL,
        actor_id        uuid,
        occurred_at     timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        correlation_id  text,
        causation_id    uuid,
        payload         jsonb       NOT NULL,
        idempotency_key text        NOT NULL,
        published_at    timestamptz,
        CONSTRAINT events_idempotency_key_unique UNIQUE (idempotency_key),
        CONSTRAINT events_seq_unique UNIQUE (seq)
      )`);
    // The relay's work queue: only unpublished rows, in log order (stays tiny however large the table grows).
    await q.query(`CREATE INDEX events_unpublished ON events.events (seq) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX events_aggregate ON events.events (aggregate_id, seq)`);
    await q.query(`CREATE INDEX events_type ON events.events (type, seq)`);
    await q.query(`CREATE INDEX events_actor ON events.events (actor_id, seq) WHERE actor_id IS NOT NULL`);
    await q.query(`CREATE INDEX events_occurred_at ON events.events (occurred_at)`);
    await q.query(`
      CREATE TABLE events.handler_runs (
        event_id     uuid        NOT NULL,
        handler      text        NOT NULL,
        completed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (event_id, handler)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE events.handler_runs`);
    await q.query(`DROP TABLE events.events`);
  }
}
