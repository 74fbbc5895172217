/** How many items of one kind gave up for good and wait for an operator. */
export type DeadLetterCount = () => Promise<number>;

/**
 * Contexts that keep dead letters register how to count them (Notifications: deliveries with status
 * `dead`), so the operational status (GET /admin/status `deadLetters`) can sum them without the
 * Events context reading another context's tables. With no source registered the total is unknown.
 */
export abstract class DeadLetterSources {
  abstract register(name: string, count: DeadLetterCount): void;
  /** The sum over every registered source; null when none is registered. */
  abstract total(): Promise<number | null>;
}
