/** Tunables of the Idempotency-Key support (defaults suit production; tests may shorten them). */
export abstract class IdempotencySettings {
  /** How long a stored response is replayed (docs/api.md: 24 h). */
  abstract retentionMs: number;
  /**
   * How long a claim protects an unfinished request. The running request also holds a row lock, so
   * the lease matters only when its process died: then a retry may take the key over after this.
   */
  abstract leaseMs: number;
  /** How often the cleanup job deletes expired keys. */
  abstract cleanupEveryMs: number;
}

export const DEFAULT_IDEMPOTENCY_SETTINGS: IdempotencySettings = {
  retentionMs: 24 * 60 * 60 * 1000,
  leaseMs: 60 * 1000,
  cleanupEveryMs: 60 * 60 * 1000,
};
