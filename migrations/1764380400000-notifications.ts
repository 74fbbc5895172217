import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications (in the Events context's schema `events`): the delivery ledger, the in-app inbox,
 * users' notification preferences and webhook endpoints. User, task and webhook ids from other
 * schemas are plain uuids: no foreign keys leave the schema.
 */
export class Notifications1764380400000 implements MigrationInterface {
  name = 'Notifications1764380400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE SCHEMA IF NOT EXISTS events`);
    await q.query(`
      CREATE TABLE events.deliveries (
        id                uuid        NOT NULL PRIMARY KEY,
        event_id          uuid        NOT NULL,
        event_type        text        NOT NULL,
        channel           text        NOT NULL,
        recipient_id      uuid,
        webhook_id        uuid,
        status            text        NOT NULL,
        suppressed_reason text,
        attempts          integer     NOT NULL DEFAULT 0,
        -- attempts at the last manual re-queue: the retry schedule restarts from there
        schedule_offset   integer     NOT NULL DEFAULT 0,
        last_error        text,
        -- pending/failed: next attempt due; sending: the worker's lease runs out
        next_attempt_at   timestamptz,
        lease_token       uuid,
        sent_at           timestamptz,
        created_at        timestamptz NOT NULL DEFAULT now(),
        updated_at        timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT deliveries_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'dead', 'suppressed')),
        CONSTRAINT deliveries_suppressed_check CHECK ((status = 'suppressed') = (suppressed_reason IS NOT NULL)),
        CONSTRAINT deliveries_reason_check CHECK (suppressed_reason IN ('preference', 'actor', 'user_inactive')),
        CONSTRAINT deliveries_target_check CHECK ((recipient_id IS NULL) <> (webhook_id IS NULL)),
        CONSTRAINT deliveries_webhook_check CHECK ((channel = 'webhook') = (webhook_id IS NOT NULL)),
        CONSTRAINT deliveries_lease_check CHECK ((status = 'sending') = (lease_token IS NOT NULL)),
        CONSTRAINT deliveries_attempts_check CHECK (attempts >= 0 AND schedule_offset BETWEEN 0 AND attempts)
      )`);
    // One row per (event, channel, recipient) — or (event, webhook, endpoint): a replayed event
    // cannot create a second delivery. Also serves ?eventId= lookups.
    await q.query(
      `CREATE UNIQUE INDEX deliveries_one_per_target ON events.deliveries (event_id, channel, (coalesce(recipient_id, webhook_id)))`,
    );
    // The sweeper's work: open deliveries by due time (stays small however large the ledger grows).
    await q.query(`CREATE INDEX deliveries_open ON events.deliveries (next_attempt_at) WHERE status IN ('pending', 'sending', 'failed')`);
    await q.query(`CREATE INDEX deliveries_recipient ON events.deliveries (recipient_id, id) WHERE recipient_id IS NOT NULL`);
    await q.query(`CREATE INDEX deliveries_webhook ON events.deliveries (webhook_id, id) WHERE webhook_id IS NOT NULL`);
    await q.query(`CREATE INDEX deliveries_status ON events.deliveries (status, id)`);

    await q.query(`
      CREATE TABLE events.notifications (
        id            uuid        NOT NULL PRIMARY KEY,
        recipient_id  uuid        NOT NULL,
        delivery_id   uuid        NOT NULL REFERENCES events.deliveries (id) ON DELETE CASCADE,
        event_id      uuid        NOT NULL,
        type          text        NOT NULL,
        title         text        NOT NULL,
        body          text        NOT NULL,
        link          text,
        task_id       uuid,
        actor_id      uuid,
        -- when the event happened (the inbox is ordered by it)
        created_at    timestamptz NOT NULL,
        read_at       timestamptz,
        CONSTRAINT notifications_one_per_delivery UNIQUE (delivery_id)
      )`);
    await q.query(`CREATE INDEX notifications_recipient ON events.notifications (recipient_id, created_at, id)`);
    await q.query(`CREATE INDEX notifications_unread ON events.notifications (recipient_id, created_at, id) WHERE read_at IS NULL`);

    // Only what users switched is stored; anything absent is on.
    await q.query(`
      CREATE TABLE events.notification_preferences (
        user_id     uuid        NOT NULL,
        channel     text        NOT NULL,
        event_type  text        NOT NULL,
        enabled     boolean     NOT NULL,
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, channel, event_type)
      )`);

    await q.query(`
      CREATE TABLE events.webhook_endpoints (
        id                          uuid        NOT NULL PRIMARY KEY,
        url                         text        NOT NULL,
        events                      text[]      NOT NULL,
        description                 text,
        secret                      text        NOT NULL,
        previous_secret             text,
        previous_secret_expires_at  timestamptz,
        active                      boolean     NOT NULL DEFAULT true,
        disabled_reason             text,
        disabled_at                 timestamptz,
        failing_since               timestamptz,
        created_at                  timestamptz NOT NULL,
        updated_at                  timestamptz NOT NULL,
        CONSTRAINT webhook_endpoints_events_check CHECK (cardinality(events) BETWEEN 1 AND 50),
        CONSTRAINT webhook_endpoints_description_check CHECK (char_length(description) <= 500),
        CONSTRAINT webhook_endpoints_url_check CHECK (char_length(url) <= 2048)
      )`);
    await q.query(`CREATE INDEX webhook_endpoints_active_events ON events.webhook_endpoints USING gin (events) WHERE active`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE events.webhook_endpoints`);
    await q.query(`DROP TABLE events.notification_preferences`);
    await q.query(`DROP TABLE events.notifications`);
    await q.query(`DROP TABLE events.deliveries`);
  }
}
