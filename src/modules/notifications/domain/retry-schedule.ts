/** ±20 %: spreads retries of many deliveries that failed together (a provider outage) over time. */
export const DEFAULT_RETRY_JITTER = 0.2;
/** A `Retry-After` longer than this is capped: a receiver cannot park a delivery for months. */
export const MAX_RETRY_AFTER_MS = 24 * 3_600_000;

/**
 * The retry schedule as data (`NOTIFY_RETRY_SCHEDULE`, default 15s,1m,10m,3h,1d): after the n-th
 * failed attempt, wait `delays[n-1]` ± jitter — or longer when the receiver asked for it with
 * `Retry-After`. One attempt plus one per entry: after the last retry fails, the delivery is dead.
 */
export class RetrySchedule {
  constructor(
    readonly delaysMs: readonly number[],
    readonly jitter: number = DEFAULT_RETRY_JITTER,
  ) {
    if (delaysMs.some((d) => !Number.isFinite(d) || d <= 0)) throw new Error('retry delays must be positive');
    if (jitter < 0 || jitter >= 1) throw new Error('jitter must be in [0, 1)');
  }

  /** First attempt plus one per retry. */
  get maxAttempts(): number {
    return this.delaysMs.length + 1;
  }

  /**
   * Delay before the next attempt after attempt number `failedAttempt` (1-based) failed, or null
   * when that was the last one. `random` returns [0, 1) (injectable for tests).
   */
  nextDelayMs(failedAttempt: number, options: { retryAfterMs?: number | null; random?: () => number } = {}): number | null {
    if (!Number.isInteger(failedAttempt) || failedAttempt < 1 || failedAttempt >= this.maxAttempts) return null;
    const base = this.delaysMs[failedAttempt - 1];
    const random = options.random ?? Math.random;
    const jittered = Math.round(base * (1 + this.jitter * (2 * random() - 1)));
    const asked = options.retryAfterMs && options.retryAfterMs > 0 ? Math.min(options.retryAfterMs, MAX_RETRY_AFTER_MS) : 0;
    return Math.max(1, jittered, asked);
  }
}
