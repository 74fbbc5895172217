import type { DomainEvent } from '../../../../kernel';
import { FakeUnitOfWork, assertInUnitOfWork } from '../../../../kernel/testing';
import { EventPublisher } from '../ports/event-publisher.port';

/**
 * The outbox as a list, for every context's unit tests. Like the real outbox table: a repeated
 * idempotency key is a no-op, and given a FakeUnitOfWork, publishing outside a unit of work fails
 * and a unit of work that throws takes its events back out.
 */
export class RecordingEventPublisher extends EventPublisher {
  published: DomainEvent[] = [];
  /** One entry per publish call that added something. */
  batches: DomainEvent[][] = [];

  constructor(private readonly uow?: FakeUnitOfWork) {
    super();
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    assertInUnitOfWork(this.uow, 'EventPublisher.publish');
    const fresh = events.filter((e) => !this.published.some((seen) => seen.idempotencyKey === e.idempotencyKey));
    if (fresh.length === 0) return;
    this.published.push(...fresh);
    this.batches.push(fresh);
    this.uow?.onRollback(() => {
      this.published = this.published.filter((e) => !fresh.includes(e));
      this.batches = this.batches.filter((b) => b !== fresh);
    });
  }

  types(): string[] {
    return this.published.map((e) => e.type);
  }

  clear(): void {
    this.published = [];
    this.batches = [];
  }
}
