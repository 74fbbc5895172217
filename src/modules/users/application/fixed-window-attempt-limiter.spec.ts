import { FixedWindowAttemptLimiter } from './fixed-window-attempt-limiter';
import { FakeClock } from '../../../kernel/testing';

describe('FixedWindowAttemptLimiter', () => {
  it('allows `limit` hits per key per window, then says how long to wait', async () => {
    const clock = new FakeClock();
    const limiter = new FixedWindowAttemptLimiter(3, 60_000, clock);
    for (let i = 0; i < 3; i++) expect(await limiter.hit('login:ip:1.2.3.4')).toEqual({ allowed: true, retryAfterSeconds: 0, limit: 3 });
    clock.advance(15_500);
    expect(await limiter.hit('login:ip:1.2.3.4')).toEqual({ allowed: false, retryAfterSeconds: 45, limit: 3 });
    expect((await limiter.hit('login:ip:5.6.7.8')).allowed).toBe(true); // keys are independent
  });

  it('starts a new window once the old one is over', async () => {
    const clock = new FakeClock();
    const limiter = new FixedWindowAttemptLimiter(1, 1000, clock);
    await limiter.hit('k');
    expect((await limiter.hit('k')).allowed).toBe(false);
    clock.advance(999);
    expect(await limiter.hit('k')).toEqual({ allowed: false, retryAfterSeconds: 1, limit: 1 });
    clock.advance(1);
    expect((await limiter.hit('k')).allowed).toBe(true);
  });

  it('forgets expired keys, so memory is bounded by active keys', async () => {
    const clock = new FakeClock();
    const limiter = new FixedWindowAttemptLimiter(5, 1000, clock, 10);
    for (let i = 0; i < 9; i++) await limiter.hit(`key-${i}`);
    expect(limiter.size).toBe(9);
    clock.advance(1000);
    await limiter.hit('fresh');
    expect(limiter.size).toBe(1);
  });

  it('refuses nonsense settings', () => {
    expect(() => new FixedWindowAttemptLimiter(0, 1000, new FakeClock())).toThrow(RangeError);
    expect(() => new FixedWindowAttemptLimiter(1, 0, new FakeClock())).toThrow(RangeError);
  });
});
