import { Injectable, Optional } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DomainEvent } from '../../../kernel';
import { WriteBatches } from '../../../platform/database';
import { captureTraceContext } from '../../../platform/tracing';
import { EventFilter, EventOrigin, EventPage, EventStore } from '../application/ports/event-store.port';
import { StoredEvent } from '../domain/stored-event';
import { EVENT_COLUMNS, EventRow, toStoredEvent } from './event-row.mapper';

/** NOTIFY channel: committed events (payload: their ids). Wakes relays and live streams. */
export const EVENTS_CHANNEL = 'taskwire_events';
const NOTIFY_MAX_BYTES = 7900;

/** The outbox / audit table in PostgreSQL; writes join the ambient transaction. */
@Injectable()
export class PostgresEventStore extends EventStore {
  constructor(
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    @Optional() private readonly writes?: WriteBatches,
  ) {
    super();
  }

  async append(events: readonly DomainEvent[], origin: EventOrigin): Promise<string[]> {
    if (events.length === 0) return [];
    // The trace of the request (or job) appending them: the job handling each event continues it.
    const traceContext = captureTraceContext();
    const traceJson = traceContext ? JSON.stringify(traceContext) : null;
    const params: unknown[] = [];
    const tuples = events.map((e) => {
      const base = params.length;
      params.push(
        e.id,
        e.type,
        e.aggregateType,
        e.aggregateId,
        e.actorId,
        e.occurredAt,
        origin.correlationId,
        origin.causationId,
        JSON.stringify(e.payload),
        e.idempotencyKey,
        traceJson,
      );
      return `(${Array.from({ length: 11 }, (_, i) => `$${base + i + 1}`).join(', ')})`;
    });
    // One statement: the insert, and the NOTIFY of what it inserted (delivered to listeners when —
    // and only if — the transaction commits; none when every event was already stored).
    params.push(EVENTS_CHANNEL, NOTIFY_MAX_BYTES);
    const channel = `$${params.length - 1}`;
    const maxBytes = `$${params.length}`;
    const insert = `INSERT INTO events.events (id, type, aggregate_type, aggregate_id, actor_id, occurred_at, correlation_id, causation_id, payload, idempotency_key, trace_context)
         VALUES ${tuples.join(', ')}
         ON CONFLICT (idempotency_key) DO NOTHING
         RETURNING id`;
    const notify = `CASE WHEN ids IS NOT NULL THEN pg_notify(${channel}, CASE WHEN length(ids) <= ${maxBytes}::int THEN ids ELSE '*' END) END`;
    // Inside UnitOfWork.runWrites: the insert and its NOTIFY join the batch's one statement (what
    // was inserted is then not known here; the publisher does not need it).
    const deferred = this.writes?.defer({
      sql: insert,
      params,
      then: `(SELECT ${notify} FROM (SELECT string_agg(id::text, ',') AS ids FROM {rows}) list) AS notified`,
    });
    if (deferred) return [];
    const rows: Array<{ ids: string | null }> = await this.txHost.tx.query(
      `WITH inserted AS (${insert}),
       list AS (SELECT string_agg(id::text, ',') AS ids FROM inserted)
       SELECT ids, ${notify} AS notified FROM list`,
      params,
    );
    const ids = rows[0]?.ids ? rows[0].ids.split(',') : [];
    return ids;
  }

  async findById(id: string): Promise<StoredEvent | null> {
    const rows: EventRow[] = await this.txHost.tx.query(`SELECT ${EVENT_COLUMNS} FROM events.events WHERE id = $1`, [id]);
    return rows[0] ? toStoredEvent(rows[0]) : null;
  }

  async findByIds(ids: readonly string[]): Promise<StoredEvent[]> {
    if (!ids.length) return [];
    const rows: EventRow[] = await this.txHost.tx.query(
      `SELECT ${EVENT_COLUMNS} FROM events.events WHERE id = ANY($1::uuid[]) ORDER BY events.seq`,
      [ids],
    );
    return rows.map(toStoredEvent);
  }

  async seqOf(id: string): Promise<string | null> {
    const rows: Array<{ seq: string }> = await this.txHost.tx.query('SELECT seq::text AS seq FROM events.events WHERE id = $1', [id]);
    return rows[0]?.seq ?? null;
  }

  async list(filter: EventFilter, limit: number, afterSeq: string | null): Promise<EventPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.type) add('type = ?', filter.type);
    if (filter.aggregateType) add('aggregate_type = ?', filter.aggregateType);
    if (filter.aggregateId) add('aggregate_id = ?', filter.aggregateId);
    if (filter.actorId) add('actor_id = ?', filter.actorId);
    if (filter.after) add('occurred_at >= ?', filter.after);
    if (filter.before) add('occurred_at < ?', filter.before);
    if (afterSeq) add('seq > ?', afterSeq);
    params.push(limit + 1);
    const rows: EventRow[] = await this.txHost.tx.query(
      `SELECT ${EVENT_COLUMNS} FROM events.events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY events.seq LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit).map(toStoredEvent);
    return { items, nextAfterSeq: rows.length > limit ? items[items.length - 1].seq : null };
  }
}
