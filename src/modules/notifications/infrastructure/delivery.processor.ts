import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import { JobSchedulers } from '../../../platform/queue/job-schedulers';
import { DeclaresHandMadeQueues, HandMadeQueues } from '../../../platform/queue/processor-coverage.check';
import { QueueBackendSettings } from '../../../platform/queue/queue-backend';
import { QueueNames } from '../../../platform/queue/queue-names';
import { AttemptOutcome, DeliveryAttemptService } from '../application/delivery-attempt.service';
import { DeliveryRecoveryService } from '../application/delivery-recovery.service';
import { NotificationSettings } from '../application/notification-settings';
import { NotificationChannelRegistry } from '../application/ports/notification-channel.registry.port';
import { EMAIL_CHANNEL, IN_APP_CHANNEL } from '../domain/notification-channels';
import { DeliveryJobData, DeliveryQueues } from './delivery-queues';

export const SWEEPER_SCHEDULER_ID = 'deliveries-sweeper';
/** Channels whose queues run NOTIFY_CONCURRENCY jobs at once; channels of other modules declare their own. */
const BUILT_IN_CHANNELS = new Set<string>([EMAIL_CHANNEL, IN_APP_CHANNEL]);

/** A recoverable failure: BullMQ retries after `delayMs` (the custom backoff reads it). */
export class RetryLaterError extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message);
    this.name = 'RetryLaterError';
  }
}

/**
 * Runs the delivery workers (APP_ROLE worker/all only): one BullMQ Worker per channel queue and
 * the sweeper. Retries use a custom backoff strategy (`settings.backoffStrategy`) that waits what
 * the ledger scheduled — the retry schedule with jitter, or longer when the receiver sent
 * `Retry-After`; unrecoverable failures end as UnrecoverableError (no BullMQ retry), with the
 * ledger row already `dead`. Stalled jobs (a worker died mid-send) are recovered by BullMQ; the
 * ledger lease makes sure the recovered job does not send while the old attempt may still be live.
 * Declares its queues to the start-up processor coverage check (they are not @Processor classes).
 */
@Injectable()
@DeclaresHandMadeQueues()
export class DeliveryWorkers implements OnApplicationBootstrap, OnModuleDestroy, HandMadeQueues {
  private readonly logger = new Logger('DeliveryWorkers');
  private readonly workers: Worker[] = [];

  constructor(
    private readonly backend: QueueBackendSettings,
    private readonly channels: NotificationChannelRegistry,
    private readonly queues: DeliveryQueues,
    private readonly attempts: DeliveryAttemptService,
    private readonly recovery: DeliveryRecoveryService,
    private readonly settings: NotificationSettings,
    private readonly schedulers: JobSchedulers,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const spec of this.deliverySpecs()) this.workers.push(this.deliveryWorker(spec.queue, spec.concurrency));
    this.workers.push(this.sweeperWorker());
    // Re-asserted periodically by JobSchedulers: the sweeper exists to recover deliveries whose jobs
    // a lost queue backend took with it, so it must not be lost with them.
    await this.schedulers.register({
      queue: this.queues.queue(QueueNames.notifications),
      id: SWEEPER_SCHEDULER_ID,
      everyMs: this.settings.sweepIntervalMs,
      job: { name: 'sweep', opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } },
    });
  }

  /** One worker per delivery queue, and the sweeper's. */
  processedQueues(): string[] {
    return [...this.deliverySpecs().map((spec) => spec.queue), QueueNames.notifications];
  }

  private deliverySpecs(): Array<{ queue: string; concurrency: number }> {
    return [
      ...this.channels
        .userChannels()
        .map((c) => ({ queue: c.queue, concurrency: BUILT_IN_CHANNELS.has(c.name) ? this.settings.deliveryConcurrency : c.concurrency })),
      { queue: QueueNames.webhooks, concurrency: this.settings.deliveryConcurrency },
    ];
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((w) => w.close().catch(() => undefined)));
  }

  private deliveryWorker(queue: string, concurrency: number): Worker<DeliveryJobData> {
    const schedule = this.settings.retrySchedule;
    const worker = new Worker<DeliveryJobData>(queue, (job, token) => this.process(job, token), {
      connection: this.backend.connection,
      prefix: this.backend.prefix,
      concurrency,
      // The ledger lease covers a send; BullMQ's lock is the same length, so a job recovered from a
      // dead worker finds the lease expired (or waits for it to expire, see 'later').
      lockDuration: this.settings.leaseMs,
      stalledInterval: Math.min(10_000, this.settings.leaseMs),
      maxStalledCount: 2,
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, err?: Error) => {
          if (err instanceof RetryLaterError) return err.delayMs;
          // A failure outside the attempt (e.g. the database was unreachable): the same schedule.
          return schedule.nextDelayMs(Math.max(1, attemptsMade)) ?? schedule.delaysMs[schedule.delaysMs.length - 1];
        },
      },
    });
    worker.on('error', (err) => this.logger.warn(`worker ${queue}: ${err.message}`));
    return worker;
  }

  private async process(job: Job<DeliveryJobData>, token?: string): Promise<AttemptOutcome> {
    const deliveryId = job.data.deliveryId ?? job.id!;
    const outcome = await this.attempts.attempt(deliveryId);
    switch (outcome.kind) {
      case 'sent':
      case 'skipped':
        return outcome;
      case 'later':
        // Not claimable yet (lease held elsewhere, or the retry is not due): come back then,
        // without using up an attempt.
        await job.moveToDelayed(Math.max(outcome.until.getTime() + 250, Date.now() + 250), token);
        throw new DelayedError();
      case 'retry':
        throw new RetryLaterError(outcome.error, outcome.delayMs);
      case 'dead':
        throw new UnrecoverableError(outcome.error);
    }
  }

  private sweeperWorker(): Worker {
    const worker = new Worker(QueueNames.notifications, () => this.recovery.sweep(), {
      connection: this.backend.connection,
      prefix: this.backend.prefix,
      concurrency: 1,
    });
    worker.on('error', (err) => this.logger.warn(`sweeper: ${err.message}`));
    return worker;
  }
}
