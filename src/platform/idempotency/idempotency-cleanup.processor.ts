import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue, UnrecoverableError } from 'bullmq';
import { JobSchedulers } from '../queue/job-schedulers';
import { QueueNames } from '../queue/queue-names';
import { IdempotencyStore } from './idempotency-store';
import { IdempotencySettings } from './idempotency.settings';

export const IDEMPOTENCY_CLEANUP_JOB = 'idempotency-keys.cleanup';
export const IDEMPOTENCY_CLEANUP_SCHEDULER = 'idempotency-keys-cleanup';

export interface IdempotencyCleanupResult {
  deleted: number;
}

/**
 * Deletes idempotency keys older than their 24 h. A BullMQ job scheduler on the platform
 * maintenance queue runs it (registered with JobSchedulers by every worker process: the same id, so
 * it exists once however many workers there are). Present only in processes that run workers.
 *
 * This is the only processor of `platform-maintenance`: a further maintenance job belongs in this
 * switch (or a dispatcher replacing it), not in a second Worker that would take its jobs.
 */
@Processor(QueueNames.platformMaintenance)
export class IdempotencyCleanupProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger('IdempotencyCleanup');

  constructor(
    private readonly store: IdempotencyStore,
    private readonly settings: IdempotencySettings,
    @InjectQueue(QueueNames.platformMaintenance) private readonly queue: Queue,
    private readonly schedulers: JobSchedulers,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    // Not awaited: an unreachable queue backend must not hold up start-up (readiness reports it).
    // JobSchedulers re-asserts it periodically, so a queue backend that lost its data gets it back.
    void this.schedulers.register({
      queue: this.queue,
      id: IDEMPOTENCY_CLEANUP_SCHEDULER,
      everyMs: this.settings.cleanupEveryMs,
      job: { name: IDEMPOTENCY_CLEANUP_JOB, data: {}, opts: { removeOnComplete: { count: 24 }, removeOnFail: { count: 100 } } },
    });
  }

  async process(job: Job): Promise<IdempotencyCleanupResult> {
    if (job.name !== IDEMPOTENCY_CLEANUP_JOB)
      throw new UnrecoverableError(`no handler for job "${job.name}" on ${QueueNames.platformMaintenance}`);
    const deleted = await this.store.deleteExpired();
    if (deleted) this.logger.log(`deleted ${deleted} expired idempotency keys`);
    return { deleted };
  }
}
