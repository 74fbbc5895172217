import { DomainEvent } from '../../../../kernel';

/**
 * Appends domain events to the outbox (the `events` table, which is also the audit trail) inside
 * the caller's ambient transaction (see UnitOfWork). The event's `idempotencyKey` is unique: a
 * repeated publish of the same key is silently a no-op. Correlation and causation ids are taken
 * from the current request / job context.
 */
export abstract class EventPublisher {
  abstract publish(events: readonly DomainEvent[]): Promise<void>;
}
