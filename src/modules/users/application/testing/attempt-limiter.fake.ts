import { AttemptLimiter, AttemptVerdict } from '../ports/attempt-limiter.port';

/** Counts hits per key; a key is denied once over `limit` (unlimited by default). */
export class FakeAttemptLimiter extends AttemptLimiter {
  readonly hits: string[] = [];
  private readonly counts = new Map<string, number>();

  constructor(
    public limit = Number.POSITIVE_INFINITY,
    public retryAfterSeconds = 60,
  ) {
    super();
  }

  async hit(key: string): Promise<AttemptVerdict> {
    this.hits.push(key);
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    const limit = Number.isFinite(this.limit) ? this.limit : Number.MAX_SAFE_INTEGER;
    return count <= this.limit
      ? { allowed: true, retryAfterSeconds: 0, limit }
      : { allowed: false, retryAfterSeconds: this.retryAfterSeconds, limit };
  }
}
