import { KeepJobs, QueueOptions, createPostgresBackend, setDefaultBackendFactory } from 'bullmq';

export type QueueBackendKind = 'redis' | 'postgres';

export abstract class QueueBackendSettings {
  abstract kind: QueueBackendKind;
  /** What BullMQ's `connection` option receives. */
  abstract connection: QueueOptions['connection'];
  abstract prefix: string;
  /**
   * How long completed jobs stay (the queue dashboard shows them; the truth is in the ledger and
   * the audit trail). On Redis by age and count, as BullMQ trims a sorted set cheaply. On BullMQ's
   * PostgreSQL backend by age only: its count retention deletes "all but the newest N" on every
   * completion, sorting every kept job each time — 7.4 ms per completed job with 2,000 kept, growing
   * with N (EXPLAIN ANALYZE of its DELETE; bench/findings.md), which capped the whole pipeline on
   * that backend. Age retention is an index range delete of the few jobs that just aged out.
   */
  abstract completedRetention: KeepJobs;
}

/** Completed jobs kept on Redis: an hour, at most 10,000 per queue. */
export const REDIS_COMPLETED_RETENTION: KeepJobs = { age: 3600, count: 10_000 };
/** Completed jobs kept on BullMQ's PostgreSQL backend: five minutes (age only, see above). */
export const POSTGRES_COMPLETED_RETENTION: KeepJobs = { age: 300 };

/**
 * Chooses BullMQ's backend: Redis when REDIS_URL is set, otherwise BullMQ's PostgreSQL backend in
 * schema `bullmq` of our own database. Must run before any Queue/Worker is constructed.
 */
export function configureQueueBackend(redisUrl: string | null, databaseUrl: string, prefix: string): QueueBackendSettings {
  if (redisUrl) {
    setDefaultBackendFactory();
    const url = new URL(redisUrl);
    return {
      kind: 'redis',
      prefix,
      completedRetention: REDIS_COMPLETED_RETENTION,
      connection: {
        host: url.hostname,
        port: Number(url.port || 6379),
        username: url.username ? decodeURIComponent(url.username) : undefined,
        password: url.password ? decodeURIComponent(url.password) : undefined,
        db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
        tls: url.protocol === 'rediss:' ? {} : undefined,
        maxRetriesPerRequest: null, // BullMQ workers need blocking commands that never give up
        enableOfflineQueue: true,
        retryStrategy: (times: number) => Math.min(times * 200, 2000),
      },
    };
  }
  setDefaultBackendFactory(createPostgresBackend);
  return {
    kind: 'postgres',
    prefix,
    completedRetention: POSTGRES_COMPLETED_RETENTION,
    // BullMQ builds one small pool per queue/worker; keep them small.
    connection: { connectionString: databaseUrl, schema: 'bullmq', migrate: true, max: 3 } as unknown as QueueOptions['connection'],
  };
}
