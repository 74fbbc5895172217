import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { MicroBatcher, isUuid, newId } from '../../../kernel';
import { EventRow, EventView, eventViewFromRow } from '../../events';
import { ClaimedDelivery, DeliveryFilter, DeliveryLedger, DeliveryPage, InboxWrites } from '../application/ports/delivery-ledger.port';
import { InboxNotification } from '../application/ports/notification-inbox.port';
import { PostgresNotificationInbox, inboxInsert } from './postgres-notification.inbox';
import { Delivery, DeliveryStatus, PlannedDelivery, SuppressedReason, statusesFor } from '../domain/delivery';
import { DELIVERY_COLUMNS, DeliveryRow, toDelivery } from './delivery-row.mapper';
import { rowsOf } from './sql-rows';
import { ENDPOINT_COLUMNS, EndpointRow, toEndpoint } from './postgres-webhook-endpoint.repository';

/** A retry job may fire a little early (queue backend and database clocks differ). */
const EARLY_TOLERANCE_MS = 2000;
/** At most this many deliveries per batched statement, and two such statements at a time. */
const BATCHING = { maxBatch: 200, maxInFlight: 2 };

interface ClaimRequest {
  id: string;
  token: string;
  leaseMs: number;
}
type ClaimedRow = DeliveryRow & { claim_token: string; event: EventRow | null; endpoint: EndpointRow | null; email_digest: string | null };
const CLAIMED_COLUMNS = `${DELIVERY_COLUMNS.split(', ')
  .map((c) => `d.${c}`)
  .join(', ')}, d.lease_token AS claim_token`;

/**
 * The delivery ledger in `notifications.deliveries`. The unique index on (event, channel, recipient or
 * webhook) makes recording idempotent; claims are one atomic UPDATE … RETURNING, so two workers
 * (or a job that runs twice) can never both hold a delivery, and outcomes are accepted only from
 * the holder of the current lease.
 */
@Injectable()
export class PostgresDeliveryLedger extends DeliveryLedger {
  /**
   * The two statements every delivery runs (claim, mark sent), coalesced across the jobs a worker
   * runs concurrently: one round trip for many deliveries. Each row keeps its own conditions (due,
   * lease token), so batching changes nothing about who may claim or settle what.
   */
  private readonly claims = new MicroBatcher<ClaimRequest, ClaimedRow | undefined>((requests) => this.claimRows(requests), BATCHING);
  // "Sent" is not on any delivery's way (the message is out): one statement at a time, so the outcomes
  // that arrive meanwhile share the next one.
  private readonly sent = new MicroBatcher<{ id: string; leaseToken: string }, boolean>((requests) => this.markSentRows(requests), {
    ...BATCHING,
    maxInFlight: 1,
  });

  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  private async query<T = unknown>(sql: string, params: unknown[]): Promise<T[]> {
    return rowsOf<T>(await this.txHost.tx.query(sql, params));
  }

  async record(event: Pick<EventView, 'id' | 'type'>, planned: readonly PlannedDelivery[]): Promise<Delivery[]> {
    return this.recordMany([{ event, planned }]);
  }

  /**
   * One INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING for the rows of all the events. With
   * in-app rows delivered here and the PostgreSQL inbox, their inbox rows are part of the same
   * statement (a data-modifying CTE: only rows this INSERT wrote get one) — one round trip, not two.
   */
  override async recordMany(
    entries: ReadonlyArray<{ event: Pick<EventView, 'id' | 'type'>; planned: readonly PlannedDelivery[] }>,
    inApp?: InboxWrites,
  ): Promise<Delivery[]> {
    if (inApp && !(inApp.inbox instanceof PostgresNotificationInbox)) return super.recordMany(entries, inApp);
    const rows = entries.flatMap(({ event, planned }) => planned.map((p) => ({ id: newId(), event, p })));
    if (rows.length === 0) return [];
    const inbox = inApp
      ? rows
          .filter((r) => r.p.status === 'sent')
          .map((r) => inApp.of({ id: r.id, eventId: r.event.id, channel: r.p.channel, recipientId: r.p.recipientId, status: 'sent' }))
          .filter((n): n is InboxNotification => n !== null)
      : [];
    // A `sending` plan is recorded as its claim would leave it: first attempt counted, leased — from
    // this statement's moment (clock_timestamp), not the transaction's start (now()), which may lie
    // well before it: the lease must not be shorter than its holder thinks.
    const insert = `INSERT INTO notifications.deliveries (id, event_id, event_type, channel, recipient_id, webhook_id, status, suppressed_reason, next_attempt_at, attempts, sent_at, lease_token)
       SELECT p.id, p.event_id, p.event_type, p.channel, p.recipient_id, p.webhook_id, p.status, p.reason,
              CASE p.status WHEN 'pending' THEN now() WHEN 'sending' THEN clock_timestamp() + p.lease_ms * interval '1 millisecond' END,
              CASE WHEN p.status IN ('sent', 'sending') THEN 1 ELSE 0 END, CASE WHEN p.status = 'sent' THEN now() END,
              CASE WHEN p.status = 'sending' THEN p.lease_token END
         FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::uuid[], $10::int[])
              AS p(id, event_id, event_type, channel, recipient_id, webhook_id, status, reason, lease_token, lease_ms)
       ON CONFLICT DO NOTHING
       RETURNING ${DELIVERY_COLUMNS}`;
    const params: unknown[] = [
      rows.map((r) => r.id),
      rows.map((r) => r.event.id),
      rows.map((r) => r.event.type),
      rows.map((r) => r.p.channel),
      rows.map((r) => r.p.recipientId),
      rows.map((r) => r.p.webhookId),
      rows.map((r) => r.p.status),
      rows.map((r) => r.p.suppressedReason),
      rows.map((r) => r.p.lease?.token ?? null),
      rows.map((r) => r.p.lease?.ms ?? null),
    ];
    if (inbox.length === 0) return (await this.query<DeliveryRow>(insert, params)).map(toDelivery);
    const notifications = inboxInsert(inbox, params.length + 1, 'SELECT id FROM recorded');
    const inserted = await this.query<DeliveryRow>(
      `WITH recorded AS (${insert}), inboxed AS (${notifications.sql}) SELECT * FROM recorded`,
      [...params, ...notifications.params],
    );
    return inserted.map(toDelivery);
  }

  async find(id: string): Promise<Delivery | null> {
    const rows = await this.query<DeliveryRow>(`SELECT ${DELIVERY_COLUMNS} FROM notifications.deliveries WHERE id = $1`, [id]);
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async claim(id: string, leaseMs: number): Promise<ClaimedDelivery | null> {
    const token = newId();
    // Inside a transaction the claim must join it; otherwise concurrent claims share one statement.
    // (A malformed id goes alone: its error must fail only its own job.)
    const alone = this.txHost.isTransactionActive() || !isUuid(id);
    const row = alone ? (await this.claimRows([{ id, token, leaseMs }]))[0] : await this.claims.submit({ id, token, leaseMs });
    if (!row) return null;
    if (!row.event) {
      // The event is gone (never happens: the audit trail keeps every event); do not keep retrying.
      await this.markDead(id, token, 'the event of this delivery no longer exists');
      return null;
    }
    const delivery = toDelivery(row);
    return {
      delivery,
      leaseToken: token,
      event: eventViewFromRow(row.event),
      ...(delivery.webhookId ? { endpoint: row.endpoint ? toEndpoint(row.endpoint) : null } : {}),
      ...(row.email_digest !== null ? { emailDigest: row.email_digest } : {}),
    };
  }

  /**
   * Claims several deliveries in one atomic UPDATE (each row is claimed or not on its own terms);
   * returns, per request, its row when that request's token won the claim.
   */
  private async claimRows(requests: readonly ClaimRequest[]): Promise<Array<ClaimedRow | undefined>> {
    const rows = await this.query<ClaimedRow>(
      `WITH wanted AS (
         SELECT DISTINCT ON (w.id) w.id, w.token, w.lease_ms FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS w(id, token, lease_ms) ORDER BY w.id
       ), claimed AS (
         UPDATE notifications.deliveries d
            SET status = 'sending', attempts = d.attempts + 1, lease_token = w.token,
                next_attempt_at = now() + w.lease_ms * interval '1 millisecond', updated_at = now()
           FROM wanted w
          WHERE d.id = w.id
            AND (   (d.status IN ('pending', 'failed') AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= now() + $4 * interval '1 millisecond'))
                 OR (d.status = 'sending' AND d.next_attempt_at < now()))
          RETURNING ${CLAIMED_COLUMNS}
       )
       SELECT c.*, (SELECT row_to_json(x) FROM (
                      SELECT e.seq::text AS seq, e.id, e.type, e.aggregate_type, e.aggregate_id, e.actor_id, e.occurred_at, e.correlation_id,
                             e.causation_id, e.payload, e.idempotency_key, e.published_at
                        FROM events.events e WHERE e.id = c.event_id) x) AS event,
              -- What the attempt reads next, read here (same context's tables): the endpoint of a
              -- webhook row, the digest setting of an email row's recipient ('off' without a row).
              CASE WHEN c.webhook_id IS NOT NULL THEN (SELECT row_to_json(w) FROM (
                     SELECT ${ENDPOINT_COLUMNS} FROM notifications.webhook_endpoints WHERE id = c.webhook_id) w) END AS endpoint,
              CASE WHEN c.channel = 'email' AND c.recipient_id IS NOT NULL THEN coalesce(
                     (SELECT s.email_digest FROM notifications.email_digest_settings s WHERE s.user_id = c.recipient_id), 'off') END AS email_digest
         FROM claimed c`,
      [requests.map((r) => r.id), requests.map((r) => r.token), requests.map((r) => r.leaseMs), EARLY_TOLERANCE_MS],
    );
    const byToken = new Map(rows.map((row) => [row.claim_token, row]));
    return requests.map((r) => byToken.get(r.token));
  }

  async release(claims: ReadonlyArray<{ id: string; leaseToken: string }>): Promise<string[]> {
    const valid = claims.filter((c) => isUuid(c.id) && isUuid(c.leaseToken));
    if (valid.length === 0) return [];
    const rows = await this.txHost.withoutTransaction(() =>
      this.query<{ id: string }>(
        `UPDATE notifications.deliveries d
            SET status = 'pending', attempts = greatest(d.attempts - 1, 0), lease_token = NULL, next_attempt_at = now(), updated_at = now()
           FROM unnest($1::uuid[], $2::uuid[]) AS r(id, token)
          WHERE d.id = r.id AND d.status = 'sending' AND d.lease_token = r.token
          RETURNING d.id`,
        [valid.map((c) => c.id), valid.map((c) => c.leaseToken)],
      ),
    );
    return rows.map((r) => r.id);
  }

  async renewLease(id: string, leaseToken: string, leaseMs: number): Promise<boolean> {
    const rows = await this.query(
      `UPDATE notifications.deliveries SET next_attempt_at = now() + $3 * interval '1 millisecond'
        WHERE id = $1 AND status = 'sending' AND lease_token = $2 RETURNING 1`,
      [id, leaseToken, leaseMs],
    );
    return rows.length === 1;
  }

  async markSent(id: string, leaseToken: string): Promise<boolean> {
    if (!this.txHost.isTransactionActive() && isUuid(id) && isUuid(leaseToken)) return this.sent.submit({ id, leaseToken });
    return this.settle(id, leaseToken, `status = 'sent', sent_at = now(), next_attempt_at = NULL`, []);
  }

  /** markSent of several deliveries in one statement; per delivery, whether its lease still held. */
  private async markSentRows(requests: ReadonlyArray<{ id: string; leaseToken: string }>): Promise<boolean[]> {
    const rows = await this.query<{ id: string; token: string }>(
      `UPDATE notifications.deliveries d SET status = 'sent', sent_at = now(), next_attempt_at = NULL, lease_token = NULL, updated_at = now()
         FROM unnest($1::uuid[], $2::uuid[]) AS s(id, token)
        WHERE d.id = s.id AND d.status = 'sending' AND d.lease_token = s.token
        RETURNING d.id, s.token`,
      [requests.map((r) => r.id), requests.map((r) => r.leaseToken)],
    );
    const settled = new Set(rows.map((r) => `${r.id}/${r.token}`));
    return requests.map((r) => settled.has(`${r.id}/${r.leaseToken}`));
  }

  async markFailed(id: string, leaseToken: string, error: string, retryInMs: number): Promise<boolean> {
    return this.settle(id, leaseToken, `status = 'failed', last_error = $3, next_attempt_at = now() + $4 * interval '1 millisecond'`, [
      error,
      retryInMs,
    ]);
  }

  async markDead(id: string, leaseToken: string, error: string): Promise<boolean> {
    return this.settle(id, leaseToken, `status = 'dead', last_error = $3, next_attempt_at = NULL`, [error]);
  }

  async markSuppressed(id: string, leaseToken: string, reason: SuppressedReason): Promise<boolean> {
    return this.settle(id, leaseToken, `status = 'suppressed', suppressed_reason = $3, next_attempt_at = NULL`, [reason]);
  }

  private async settle(id: string, leaseToken: string, set: string, params: unknown[]): Promise<boolean> {
    const rows = await this.query(
      `UPDATE notifications.deliveries SET ${set}, lease_token = NULL, updated_at = now()
        WHERE id = $1 AND status = 'sending' AND lease_token = $2 RETURNING 1`,
      [id, leaseToken, ...params],
    );
    return rows.length === 1;
  }

  async requeue(id: string, from: readonly DeliveryStatus[]): Promise<Delivery | null> {
    const rows = await this.query<DeliveryRow>(
      `UPDATE notifications.deliveries
          SET status = 'pending', schedule_offset = attempts, next_attempt_at = now(), sent_at = NULL, lease_token = NULL, updated_at = now()
        WHERE id = $1 AND status = ANY($2::text[])
        RETURNING ${DELIVERY_COLUMNS}`,
      [id, [...from]],
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async list(filter: DeliveryFilter, limit: number, beforeId: string | null): Promise<DeliveryPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.eventId) add('event_id = ?', filter.eventId);
    if (filter.recipientId) add('recipient_id = ?', filter.recipientId);
    if (filter.webhookId) add('webhook_id = ?', filter.webhookId);
    if (filter.channel) add('channel = ?', filter.channel);
    if (filter.status) add('status = ANY(?::text[])', statusesFor(filter.status));
    if (beforeId) add('id < ?', beforeId);
    params.push(limit + 1);
    const rows = await this.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM notifications.deliveries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map(toDelivery);
    return { items, nextBeforeId: rows.length > limit ? items[items.length - 1].id : null };
  }

  async overdue(graceMs: number, limit: number, among?: readonly string[]): Promise<Array<Pick<Delivery, 'id' | 'channel'>>> {
    return this.query<{ id: string; channel: string }>(
      `SELECT id, channel FROM notifications.deliveries
        WHERE status IN ('pending', 'sending', 'failed') AND next_attempt_at < now()
          AND (status = 'sending' OR next_attempt_at < now() - $1 * interval '1 millisecond')
          AND ($3::uuid[] IS NULL OR id = ANY($3::uuid[]))
        ORDER BY next_attempt_at LIMIT $2`,
      [graceMs, limit, among ? [...among] : null],
    );
  }
}
