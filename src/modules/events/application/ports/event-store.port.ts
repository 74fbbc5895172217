import { DomainEvent } from '../../../../kernel';
import { StoredEvent } from '../../domain/stored-event';

export interface EventOrigin {
  correlationId: string | null;
  causationId: string | null;
}

export interface EventFilter {
  type?: string;
  aggregateType?: string;
  aggregateId?: string;
  actorId?: string;
  /** occurredAt ≥ after */
  after?: Date;
  /** occurredAt < before */
  before?: Date;
}

export interface EventPage {
  items: StoredEvent[];
  /** seq of the last item when there may be more. */
  nextAfterSeq: string | null;
}

/** The outbox / audit table. `append` joins the caller's ambient transaction. */
export abstract class EventStore {
  /**
   * Inserts; a duplicate idempotency key is skipped silently. Returns the ids actually stored — none
   * when the write went into a UnitOfWork.runWrites batch (sent after the work, as one statement).
   */
  abstract append(events: readonly DomainEvent[], origin: EventOrigin): Promise<string[]>;
  abstract findById(id: string): Promise<StoredEvent | null>;
  /** Oldest first, after the given seq. */
  abstract list(filter: EventFilter, limit: number, afterSeq: string | null): Promise<EventPage>;
  abstract seqOf(id: string): Promise<string | null>;
}
