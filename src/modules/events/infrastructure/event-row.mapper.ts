import { EventView, StoredEvent, toEventView } from '../domain/stored-event';

export interface EventRow {
  seq: string;
  id: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  actor_id: string | null;
  occurred_at: Date;
  correlation_id: string | null;
  causation_id: string | null;
  payload: Record<string, unknown>;
  idempotency_key: string;
  published_at: Date | null;
}

export const EVENT_COLUMNS =
  'seq::text AS seq, id, type, aggregate_type, aggregate_id, actor_id, occurred_at, correlation_id, causation_id, payload, idempotency_key, published_at';

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    seq: String(row.seq),
    id: row.id,
    type: row.type,
    aggregateType: row.aggregate_type,
    aggregateId: row.aggregate_id,
    actorId: row.actor_id,
    occurredAt: new Date(row.occurred_at),
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    payload: row.payload,
    idempotencyKey: row.idempotency_key,
    publishedAt: row.published_at ? new Date(row.published_at) : null,
  };
}

/** The public view of an event read as a row of `events.events` (for readers joining it in SQL). */
export function eventViewFromRow(row: EventRow): EventView {
  return toEventView(toStoredEvent(row));
}
