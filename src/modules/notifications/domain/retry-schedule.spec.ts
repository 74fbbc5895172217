import fc from 'fast-check';
import { MAX_RETRY_AFTER_MS, RetrySchedule } from './retry-schedule';

const DEFAULT = [15_000, 60_000, 600_000, 3 * 3_600_000, 86_400_000];

describe('RetrySchedule', () => {
  const schedule = new RetrySchedule(DEFAULT);

  it('allows one attempt plus one per retry, and nothing after the last', () => {
    expect(schedule.maxAttempts).toBe(6);
    expect(schedule.nextDelayMs(5, { random: () => 0.5 })).toBe(86_400_000);
    expect(schedule.nextDelayMs(6)).toBeNull();
    expect(schedule.nextDelayMs(0)).toBeNull();
  });

  it('follows the schedule exactly without jitter (random = 0.5)', () => {
    expect([1, 2, 3, 4, 5].map((n) => schedule.nextDelayMs(n, { random: () => 0.5 }))).toEqual(DEFAULT);
  });

  it('keeps jitter within ±20 %', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const delay = schedule.nextDelayMs(attempt, { random: () => r })!;
        const base = DEFAULT[attempt - 1];
        return delay >= Math.floor(base * 0.8) && delay <= Math.ceil(base * 1.2);
      }),
    );
    expect(schedule.nextDelayMs(1, { random: () => 0 })).toBe(12_000);
    expect(schedule.nextDelayMs(1, { random: () => 0.999999 })).toBe(18_000);
  });

  it('honours Retry-After when it asks for longer, capped at a day', () => {
    expect(schedule.nextDelayMs(1, { retryAfterMs: 120_000, random: () => 0.5 })).toBe(120_000);
    expect(schedule.nextDelayMs(2, { retryAfterMs: 5_000, random: () => 0.5 })).toBe(60_000); // never earlier than scheduled
    expect(schedule.nextDelayMs(1, { retryAfterMs: 30 * 86_400_000, random: () => 0.5 })).toBe(MAX_RETRY_AFTER_MS);
    expect(schedule.nextDelayMs(5, { retryAfterMs: 60_000 })).not.toBeNull();
  });

  it('works with short test schedules and rejects nonsense', () => {
    const short = new RetrySchedule([200, 200, 200]);
    expect(short.maxAttempts).toBe(4);
    expect(short.nextDelayMs(3, { random: () => 0.5 })).toBe(200);
    expect(() => new RetrySchedule([0])).toThrow();
    expect(() => new RetrySchedule([100], 1)).toThrow();
  });
});
