import type { Redis } from 'ioredis';
import { AttemptLimiter } from '../application/ports/attempt-limiter.port';
import { RedisAttemptLimiter } from './redis-attempt-limiter';

/** Just enough of Redis for the limiter's script: a counter per key with a window. */
function fakeRedis(options: { failing?: boolean } = {}) {
  const counts = new Map<string, number>();
  const keys: string[] = [];
  const redis = {
    eval: async (_script: string, _n: number, key: string, windowMs: string) => {
      if (options.failing) throw new Error('connection refused');
      keys.push(key);
      const count = (counts.get(key) ?? 0) + 1;
      counts.set(key, count);
      return [count, Number(windowMs) - 1500];
    },
    disconnect: jest.fn(),
  };
  return { redis: redis as unknown as Redis, keys, disconnect: redis.disconnect };
}

class CountingLimiter extends AttemptLimiter {
  hits: string[] = [];
  async hit(key: string) {
    this.hits.push(key);
    return { allowed: true, retryAfterSeconds: 0, limit: 10 };
  }
}

describe('RedisAttemptLimiter', () => {
  it('allows `limit` hits per window, then answers with the seconds left', async () => {
    const { redis, keys } = fakeRedis();
    const limiter = new RedisAttemptLimiter(redis, 'tw', 2, 60_000, new CountingLimiter());
    expect(await limiter.hit('login:email:a@b.co')).toEqual({ allowed: true, retryAfterSeconds: 0, limit: 2 });
    expect(await limiter.hit('login:email:a@b.co')).toEqual({ allowed: true, retryAfterSeconds: 0, limit: 2 });
    expect(await limiter.hit('login:email:a@b.co')).toEqual({ allowed: false, retryAfterSeconds: 59, limit: 2 });
    expect((await limiter.hit('login:email:c@d.co')).allowed).toBe(true);
    // prefixed, and no email in clear
    expect(keys[0]).toMatch(/^tw:auth-attempts:[0-9a-f]{64}$/);
    expect(new Set(keys).size).toBe(2);
  });

  it('falls back to the in-process limiter when Redis fails, and disconnects on shutdown', async () => {
    const { redis, disconnect } = fakeRedis({ failing: true });
    const fallback = new CountingLimiter();
    const limiter = new RedisAttemptLimiter(redis, 'tw', 2, 60_000, fallback);
    jest.spyOn((limiter as unknown as { logger: { warn: () => void } }).logger, 'warn').mockImplementation(() => undefined);
    expect(await limiter.hit('k')).toEqual({ allowed: true, retryAfterSeconds: 0, limit: 10 });
    expect(fallback.hits).toEqual(['k']);
    limiter.onApplicationShutdown();
    expect(disconnect).toHaveBeenCalled();
  });
});
