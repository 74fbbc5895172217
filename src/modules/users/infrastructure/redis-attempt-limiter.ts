import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { AttemptLimiter, AttemptVerdict } from '../application/ports/attempt-limiter.port';

/**
 * INCR the window's counter and start its expiry on the first hit, atomically; returns the count
 * and the milliseconds left in the window.
 */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

/**
 * Fixed-window attempt limiter shared by every process through Redis (`REDIS_URL`), so the limit
 * holds however many API instances run. Keys are `<prefix>:auth-attempts:<sha256 of the key>`:
 * emails and IPs are not stored in clear. When Redis does not answer, it falls back to the
 * in-process limiter rather than failing the login (limits then hold per process).
 */
export class RedisAttemptLimiter extends AttemptLimiter implements OnApplicationShutdown {
  private readonly logger = new Logger('RedisAttemptLimiter');
  private warned = false;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly fallback: AttemptLimiter,
  ) {
    super();
  }

  async hit(key: string): Promise<AttemptVerdict> {
    const redisKey = `${this.prefix}:auth-attempts:${createHash('sha256').update(key).digest('hex')}`;
    let count: number;
    let ttlMs: number;
    try {
      [count, ttlMs] = (await this.redis.eval(HIT_SCRIPT, 1, redisKey, String(this.windowMs))) as [number, number];
      this.warned = false;
    } catch (error) {
      if (!this.warned)
        this.logger.warn(`Redis unavailable for auth attempt limits, using the in-process limiter: ${(error as Error).message}`);
      this.warned = true;
      return this.fallback.hit(key);
    }
    if (count <= this.limit) return { allowed: true, retryAfterSeconds: 0, limit: this.limit };
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(ttlMs / 1000)), limit: this.limit };
  }

  onApplicationShutdown(): void {
    this.redis.disconnect();
  }
}
