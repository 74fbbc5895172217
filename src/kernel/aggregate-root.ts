import { DomainEvent, NewDomainEvent } from './domain-event';
import { newId } from './ids';

/** Base of every aggregate: collects the domain events it records until the use case saves them. */
export abstract class AggregateRoot {
  private pending: DomainEvent[] = [];

  protected record<P extends object>(event: NewDomainEvent<P>): void {
    this.pending.push({
      id: event.id ?? newId(),
      occurredAt: event.occurredAt ?? new Date(),
      type: event.type,
      aggregateType: event.aggregateType,
      aggregateId: event.aggregateId,
      actorId: event.actorId,
      payload: event.payload as Record<string, unknown>,
      idempotencyKey: event.idempotencyKey,
    });
  }

  /** Events recorded since the last pull (oldest first); the aggregate forgets them. */
  pullEvents(): DomainEvent[] {
    const events = this.pending;
    this.pending = [];
    return events;
  }

  peekEvents(): readonly DomainEvent[] {
    return this.pending;
  }
}
