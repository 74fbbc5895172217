export interface AttemptVerdict {
  allowed: boolean;
  /** 0 when allowed; otherwise seconds until the key may try again (at least 1). */
  retryAfterSeconds: number;
  /** Attempts this key is allowed per window (the limit's own number, for `RateLimit-Limit`). */
  limit: number;
}

/**
 * Counts attempts per key (`login:ip:1.2.3.4`, `login:email:a@b.c`, …) and says whether one more
 * is allowed. Every call counts, allowed or not. Redis-backed when REDIS_URL is set; otherwise
 * FixedWindowAttemptLimiter (in-process).
 */
export abstract class AttemptLimiter {
  abstract hit(key: string): Promise<AttemptVerdict>;
}
