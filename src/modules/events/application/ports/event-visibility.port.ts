import type { CurrentUser } from '../../../users';

/** Who may see one aggregate's events, decided from one lookup and then asked per caller in memory. */
export type AggregateAudience = (caller: CurrentUser) => boolean;

/**
 * Loads what decides an aggregate's visibility (for a task: its creator, assignee and watchers) in
 * one go, however many callers are asked afterwards.
 */
export type AggregateAudienceLookup = (aggregateId: string) => Promise<AggregateAudience>;

/** Who may see one event. The aggregate's lookup runs at most once, and only if a caller needs it. */
export interface EventAudience {
  includes(caller: CurrentUser): Promise<boolean>;
}

/**
 * Contexts register how their aggregates' visibility is decided (Tasks registers `task`). The live
 * stream asks it once per event, then filters every open stream in memory; callers with
 * `events:read` see everything without a lookup.
 */
export abstract class EventVisibilityRegistry {
  abstract register(aggregateType: string, lookup: AggregateAudienceLookup): void;
  abstract audienceOf(aggregateType: string, aggregateId: string): EventAudience;
}
