import { Clock } from '../../../kernel';
import { AttemptLimiter, AttemptVerdict } from './ports/attempt-limiter.port';

interface Window {
  startedAt: number;
  count: number;
}

/**
 * In-process fixed-window limiter, for a single instance without Redis: at most `limit` hits per
 * key per window of `windowMs`. Not shared between processes — with several API instances the
 * effective limit is multiplied; bind the Redis adapter there.
 */
export class FixedWindowAttemptLimiter extends AttemptLimiter {
  private readonly windows = new Map<string, Window>();
  private hitsSinceSweep = 0;

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly clock: Clock,
    /** Sweep expired windows every this many hits, so memory stays bounded by active keys. */
    private readonly sweepEvery = 1000,
  ) {
    super();
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be a positive integer');
    if (!(windowMs > 0)) throw new RangeError('windowMs must be positive');
  }

  async hit(key: string): Promise<AttemptVerdict> {
    const now = this.clock.now().getTime();
    this.maybeSweep(now);
    let window = this.windows.get(key);
    if (!window || now >= window.startedAt + this.windowMs) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count += 1;
    if (window.count <= this.limit) return { allowed: true, retryAfterSeconds: 0, limit: this.limit };
    const waitMs = window.startedAt + this.windowMs - now;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), limit: this.limit };
  }

  /** Number of keys currently tracked (for tests and metrics). */
  get size(): number {
    return this.windows.size;
  }

  private maybeSweep(now: number): void {
    if (++this.hitsSinceSweep < this.sweepEvery) return;
    this.hitsSinceSweep = 0;
    for (const [key, window] of this.windows) {
      if (now >= window.startedAt + this.windowMs) this.windows.delete(key);
    }
  }
}
