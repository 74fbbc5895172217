/** An event as the outbox / audit trail keeps it: the domain event plus where it came from. */
export interface StoredEvent {
  /** Monotonic position in the log (cursor and ordering key). */
  seq: string;
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  actorId: string | null;
  occurredAt: Date;
  /** X-Request-Id of the causing request, or the causing event's correlation id. */
  correlationId: string | null;
  /** Id of the event whose handler caused this one; null when a request caused it. */
  causationId: string | null;
  payload: Record<string, unknown>;
  idempotencyKey: string;
  publishedAt: Date | null;
}

/** The public shape (docs/api.md "Events and audit"). */
export interface EventView {
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  actorId: string | null;
  occurredAt: string;
  correlationId: string | null;
  causationId: string | null;
  payload: Record<string, unknown>;
}

export function toEventView(event: StoredEvent): EventView {
  return {
    id: event.id,
    type: event.type,
    aggregateType: event.aggregateType,
    aggregateId: event.aggregateId,
    actorId: event.actorId,
    occurredAt: event.occurredAt.toISOString(),
    correlationId: event.correlationId,
    causationId: event.causationId,
    payload: event.payload,
  };
}
