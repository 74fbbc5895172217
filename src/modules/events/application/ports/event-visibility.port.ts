import type { CurrentUser } from '../../../users';

/** Answers "may this caller see events of this aggregate?" for one aggregate type. */
export type AggregateVisibilityCheck = (caller: CurrentUser, aggregateId: string) => Promise<boolean>;

/**
 * Contexts register how their aggregates' visibility is decided (Tasks registers `task`). The audit
 * API and the live stream ask it; callers with `events:read` see everything.
 */
export abstract class EventVisibilityRegistry {
  abstract register(aggregateType: string, check: AggregateVisibilityCheck): void;
  abstract canSee(caller: CurrentUser, aggregateType: string, aggregateId: string): Promise<boolean>;
}
