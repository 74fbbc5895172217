import type { WorkerOptions } from 'bullmq';

/**
 * Lock and stall-check timings for workers of short, idempotent jobs (event jobs), on both
 * backends. BullMQ's defaults (30 s lock, 30 s interval) left the jobs of a killed worker `active`
 * for ~60–75 s: stall detection is two-phase on Redis and on the PostgreSQL backend alike
 * (`move_stalled_jobs_to_wait`: one pass marks the active jobs, a later pass reclaims the marked
 * ones whose lock has expired), and passes are throttled to one per `stalledInterval` per queue
 * across all workers. So a dead worker's job is waiting again at most
 * lockDuration + 2 × stalledInterval after the kill (≤ 20 s here, ~5–10 s after a new worker is up).
 *
 * The price, on PostgreSQL: every worker calls the stall check every `stalledInterval` (a read
 * while throttled; the one pass per interval per queue that is not throttled is a write
 * transaction), and a job running longer than lockDuration / 4 has its lock extended every
 * lockDuration / 4 … / 2 (one `extend_locks` call per worker for all its jobs). Jobs that take
 * milliseconds are never extended. A worker whose event loop or database is blocked for more than
 * ~lockDuration / 2 loses its locks and its jobs run again: harmless for idempotent handlers,
 * which is why these workers also allow many stalls (maxStalledCount) before a job is failed.
 */
export const SHORT_JOB_STALL_DETECTION = { lockDuration: 10_000, stalledInterval: 5_000 } as const satisfies Pick<
  WorkerOptions,
  'lockDuration' | 'stalledInterval'
>;
