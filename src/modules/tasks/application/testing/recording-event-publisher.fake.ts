import type { DomainEvent } from '../../../../kernel';
import { EventPublisher } from '../../../events';
import type { TransactionalFake } from './in-memory-unit-of-work.fake';

/** Keeps published events in memory; like the outbox, a repeated idempotency key is a no-op. */
export class RecordingEventPublisher extends EventPublisher implements TransactionalFake {
  events: DomainEvent[] = [];
  /** One entry per publish call that added something. */
  batches: DomainEvent[][] = [];

  async publish(events: readonly DomainEvent[]): Promise<void> {
    const fresh = events.filter((e) => !this.events.some((seen) => seen.idempotencyKey === e.idempotencyKey));
    if (fresh.length === 0) return;
    this.events.push(...fresh);
    this.batches.push(fresh);
  }

  types(): string[] {
    return this.events.map((e) => e.type);
  }

  clear(): void {
    this.events = [];
    this.batches = [];
  }

  snapshot(): unknown {
    return { events: [...this.events], batches: [...this.batches] };
  }

  restore(snapshot: unknown): void {
    const s = snapshot as { events: DomainEvent[]; batches: DomainEvent[][] };
    this.events = s.events;
    this.batches = s.batches;
  }
}
