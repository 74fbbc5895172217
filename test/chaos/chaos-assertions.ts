import { ChaosCounts } from './chaos-harness';

/** What every chaos run must show: nothing lost, nothing duplicated beyond the documented crash window. */
export function expectClean(counts: ChaosCounts): void {
  expect(counts.problems).toEqual([]);
  expect(counts.writesOk).toBeGreaterThan(20);
  expect(counts.workerKills + counts.redisRestarts + counts.workerGracefulRestarts).toBeGreaterThan(0);
  expect(counts.eventsMissing).toBe(0);
  expect(counts.eventDuplicates).toBe(0);
  expect(counts.emailLost).toBe(0);
  expect(counts.webhookLost).toBe(0);
  expect(counts.inAppLost).toBe(0);
  expect(counts.emailDuplicatesDistinctDelivery).toBe(0);
  expect(counts.webhookDuplicatesDistinctDelivery).toBe(0);
  expect(counts.inAppDuplicates).toBe(0);
  expect(counts.webhookBadSignature).toBe(0);
  // Reminders of tasks due inside the run: each recorded exactly once, across kills and restarts.
  expect(counts.reminderTasks).toBeGreaterThan(0);
  expect(counts.remindersFound).toBe(counts.remindersExpected);
  // Same-delivery re-sends are only possible in the documented crash window (provider accepted,
  // worker killed before marking sent): at most the in-flight sends of each killed worker.
  expect(counts.emailResentSameDelivery + counts.webhookResentSameDelivery).toBeLessThanOrEqual(counts.workerKills * 16);
}
