/**
 * A fact that happened inside an aggregate. Aggregates record them; the application layer hands
 * them to the Events module's publisher port, which stores them in the same transaction.
 */
export interface DomainEvent<P extends object = Record<string, unknown>> {
  readonly id: string;
  /** Dotted type, e.g. `task.created`. */
  readonly type: string;
  /** `task` | `user` | … */
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** Who caused it; null for the system. */
  readonly actorId: string | null;
  readonly occurredAt: Date;
  readonly payload: P;
  /** Unique per fact, e.g. `task:<id>:created`: a repeated publish of the same key is a no-op. */
  readonly idempotencyKey: string;
}

export interface NewDomainEvent<P extends object> {
  type: string;
  aggregateType: string;
  aggregateId: string;
  actorId: string | null;
  payload: P;
  idempotencyKey: string;
  occurredAt?: Date;
  id?: string;
}
