import { QueueOptions, createPostgresBackend, setDefaultBackendFactory } from 'bullmq';

export type QueueBackendKind = 'redis' | 'postgres';

export abstract class QueueBackendSettings {
  abstract kind: QueueBackendKind;
  /** What BullMQ's `connection` option receives. */
  abstract connection: QueueOptions['connection'];
  abstract prefix: string;
}

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
    // BullMQ builds one small pool per queue/worker; keep them small.
    connection: { connectionString: databaseUrl, schema: 'bullmq', migrate: true, max: 3 } as unknown as QueueOptions['connection'],
  };
}
