import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Job, JobsOptions, Queue } from 'bullmq';
import { DeclaresHandMadeQueues, HandMadeQueues } from '../../../platform/queue/processor-coverage.check';
import { QueueBackendSettings } from '../../../platform/queue/queue-backend';
import { QueueNames } from '../../../platform/queue/queue-names';
import { DeliveryJobRef, DeliveryQueue } from '../application/ports/delivery-queue.port';
import { ClaimedDelivery } from '../application/ports/delivery-ledger.port';
import { NotificationChannelRegistry } from '../application/ports/notification-channel.registry.port';
import { MicroBatcher } from '../../../kernel';
import { NotificationSettings } from '../application/notification-settings';

/**
 * Data of a delivery job: one delivery (the job id is the delivery id too), or a batch of
 * deliveries of one channel planned together (job id `batch-<first delivery id>`).
 */
export interface DeliveryJobData {
  deliveryId?: string;
  deliveryIds?: string[];
}

/** Id of the job carrying a batch of deliveries: derived from its first, so adding it twice is a no-op. */
export const batchJobId = (firstDeliveryId: string): string => `batch-${firstDeliveryId}`;

/** Attempts deliveries in this process (the delivery workers, where they run): see DeliveryQueue.dispatch. */
export interface LocalDeliveryRunner {
  /** Starts attempting `ids` (rows of `channel` in `queue`) here and returns true, or false when it has no room. */
  take(queue: string, channel: string, ids: readonly string[]): boolean;
  /** Whether `take` would take `count` rows of `queue` now (room for all of them, the queue not paused). */
  hasRoom(queue: string, count: number): boolean;
  /** Attempts rows recorded claimed by this process (see DeliveryQueue.canAttemptHere), without claiming them again. */
  takeClaimed(queue: string, channel: string, claimed: readonly ClaimedDelivery[], claimedAt: number): void;
  /** Whether this process is attempting the delivery right now (it has no job, but is live). */
  isAttempting(id: string): boolean;
}

/** Name of the custom backoff strategy the delivery workers implement (the ledger's schedule). */
export const DELIVERY_BACKOFF = 'notify-schedule';

const LIVE_STATES = new Set(['waiting', 'active', 'waiting-children', 'prioritized']);
const LIVENESS_CHECKS_AT_ONCE = 16;
/** Live jobs a sweep reads per channel to find the deliveries waiting in batch jobs. */
const BATCH_JOBS_LOOKED_AT = 2000;

/**
 * The BullMQ side of deliveries: one queue per channel (QueueNames.email, QueueNames.inApp,
 * QueueNames.webhooks, `notify-<name>` for added channels) plus QueueNames.notifications for the
 * sweeper. Jobs carry only delivery ids (one, or a batch of one channel): the ledger row is the truth. Built by hand (not with
 * BullModule), so it declares them to the start-up processor coverage check.
 */
@Injectable()
@DeclaresHandMadeQueues()
export class DeliveryQueues extends DeliveryQueue implements OnApplicationShutdown, HandMadeQueues {
  private readonly logger = new Logger('DeliveryQueues');
  private readonly queues = new Map<string, Queue>();
  private runner: LocalDeliveryRunner | null = null;

  constructor(
    private readonly backend: QueueBackendSettings,
    private readonly channels: NotificationChannelRegistry,
    private readonly settings: NotificationSettings,
  ) {
    super();
  }

  /** Job options of every delivery job: attempts = schedule length + 1, the ledger's own backoff. */
  jobOptions(jobId: string): JobsOptions {
    return {
      jobId,
      attempts: this.settings.retrySchedule.maxAttempts,
      backoff: { type: DELIVERY_BACKOFF },
      removeOnComplete: this.backend.completedRetention,
      removeOnFail: { age: 7 * 86_400 },
    };
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.backend.connection, prefix: this.backend.prefix });
      queue.on('error', (err) => this.logger.warn(`queue ${name}: ${err.message}`));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Every delivery queue and the sweeper's (for the dashboard and the workers). */
  all(): Queue[] {
    return this.ownedQueues().map((name) => this.queue(name));
  }

  ownedQueues(): string[] {
    return [...this.channels.userChannels().map((c) => c.queue), QueueNames.webhooks, QueueNames.notifications];
  }

  private queueFor(channel: string): Queue {
    const name = this.channels.queueOf(channel);
    if (!name) throw new Error(`no queue for notification channel "${channel}" (is its module loaded in this process?)`);
    return this.queue(name);
  }

  /**
   * Jobs of events published concurrently are added together: one addBulk per channel queue for
   * many events (on BullMQ's PostgreSQL backend each addBulk is a transaction of its own).
   */
  private readonly adds = new MicroBatcher<readonly DeliveryJobRef[], void>(async (lists) => {
    await this.addJobs(lists.flat());
    return lists.map(() => undefined);
  });

  async enqueue(deliveries: readonly DeliveryJobRef[]): Promise<void> {
    if (deliveries.length === 0) return;
    // Resolve every queue first: an unknown channel fails only this call, not the whole batch.
    for (const d of deliveries) this.queueFor(d.channel);
    await this.adds.submit(deliveries);
  }

  /** The delivery workers of this process register here (null: they stopped). */
  attemptHere(runner: LocalDeliveryRunner | null): void {
    this.runner = runner;
  }

  /** Per channel, the runner takes the rows if it has room for all of them; the rest are enqueued. */
  override async dispatch(deliveries: readonly DeliveryJobRef[]): Promise<void> {
    const runner = this.runner;
    if (!runner) return this.enqueue(deliveries);
    const rest: DeliveryJobRef[] = [];
    for (const [channel, refs] of groupByChannel(deliveries)) {
      const queue = this.channels.queueOf(channel);
      const ids = refs.map((d) => d.id);
      if (!queue || !runner.take(queue, channel, ids)) rest.push(...refs);
    }
    await this.enqueue(rest);
  }

  override canAttemptHere(channel: string, count: number): boolean {
    const queue = this.channels.queueOf(channel);
    return Boolean(queue && this.runner?.hasRoom(queue, count));
  }

  override attemptClaimed(claimed: readonly ClaimedDelivery[], claimedAt: number): readonly ClaimedDelivery[] {
    const runner = this.runner;
    const left: ClaimedDelivery[] = [];
    for (const [channel, rows] of groupBy(claimed, (c) => c.delivery.channel)) {
      const queue = this.channels.queueOf(channel);
      if (runner && queue) runner.takeClaimed(queue, channel, rows, claimedAt);
      // Stopped meanwhile (shutting down): handed back, to be released and queued by the caller.
      else left.push(...rows);
    }
    return left;
  }

  private async addJobs(deliveries: readonly DeliveryJobRef[]): Promise<void> {
    const byChannel = groupByChannel(deliveries);
    const size = this.settings.deliveryJobBatch;
    await Promise.all(
      [...byChannel].map(([channel, refs]) => {
        const jobs = [];
        for (let i = 0; i < refs.length; i += size) {
          const ids = refs.slice(i, i + size).map((d) => d.id);
          jobs.push(
            ids.length === 1
              ? this.singleJob(channel, ids[0])
              : { name: channel, data: { deliveryIds: ids } satisfies DeliveryJobData, opts: this.jobOptions(batchJobId(ids[0])) },
          );
        }
        return this.queueFor(channel).addBulk(jobs);
      }),
    );
  }

  /**
   * Deliveries of a batch job that must run again later (not claimable yet, or a retry): each gets
   * a job of its own (job id = delivery id), due after `delayMs`.
   */
  async addLater(queueName: string, channel: string, later: ReadonlyArray<{ id: string; delayMs: number }>): Promise<void> {
    if (later.length === 0) return;
    await this.queue(queueName).addBulk(later.map((d) => this.singleJob(channel, d.id, d.delayMs)));
  }

  /** The job of one delivery (job id = delivery id), due now or after `delayMs`. */
  private singleJob(channel: string, deliveryId: string, delayMs = 0) {
    const opts = this.jobOptions(deliveryId);
    return {
      name: channel,
      data: { deliveryId } satisfies DeliveryJobData,
      opts: delayMs > 0 ? { ...opts, delay: Math.round(delayMs) } : opts,
    };
  }

  async ensureQueued(deliveries: readonly DeliveryJobRef[]): Promise<number> {
    let added = 0;
    for (const d of deliveries) {
      const job = await this.liveness(d);
      if (job === 'live') continue;
      if (job) {
        try {
          await job.remove();
        } catch {
          continue; // it became active meanwhile: it is live after all
        }
      }
      const fresh = this.singleJob(d.channel, d.id);
      await this.queueFor(d.channel).add(fresh.name, fresh.data, fresh.opts);
      added += 1;
    }
    return added;
  }

  async withoutLiveJob(deliveries: readonly DeliveryJobRef[]): Promise<DeliveryJobRef[]> {
    const jobless: DeliveryJobRef[] = [];
    // Being attempted in this process (dispatched here, no job): live.
    const candidates = deliveries.filter((d) => !this.runner?.isAttempting(d.id));
    // A few look-ups at once: a sweep of a large backlog asks for hundreds of jobs.
    for (let i = 0; i < candidates.length; i += LIVENESS_CHECKS_AT_ONCE) {
      const slice = candidates.slice(i, i + LIVENESS_CHECKS_AT_ONCE);
      const states = await Promise.all(slice.map((d) => this.liveness(d)));
      slice.forEach((d, k) => {
        if (states[k] !== 'live') jobless.push(d);
      });
    }
    if (jobless.length === 0) return jobless;
    // A delivery without a job of its own may wait in a batch job (a backlog): those are live too.
    const inBatches = await this.inLiveBatchJobs([...new Set(jobless.map((d) => d.channel))]);
    return jobless.filter((d) => !inBatches.has(d.id));
  }

  /** Deliveries carried by the waiting, active or delayed batch jobs of these channels' queues. */
  private async inLiveBatchJobs(channels: readonly string[]): Promise<Set<string>> {
    const members = new Set<string>();
    for (const channel of channels) {
      const jobs: Array<Job<DeliveryJobData> | undefined> = await this.queueFor(channel).getJobs(
        ['waiting', 'active', 'delayed', 'prioritized'],
        0,
        BATCH_JOBS_LOOKED_AT - 1,
      );
      for (const job of jobs) for (const id of job?.data?.deliveryIds ?? []) members.add(id);
    }
    return members;
  }

  /**
   * 'live' when the delivery's job is waiting, active or delayed (a delayed one is promoted: it is
   * due now — a manual retry, or overdue); otherwise its finished job (to replace), or null.
   */
  private async liveness(d: DeliveryJobRef): Promise<'live' | Job | null> {
    const existing: Job | undefined = await this.queueFor(d.channel).getJob(d.id);
    if (!existing) return null;
    const state = await existing.getState();
    if (LIVE_STATES.has(state)) return 'live';
    if (state === 'delayed') {
      await existing.promote().catch(() => undefined);
      return 'live';
    }
    return existing;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close().catch(() => undefined)));
    this.queues.clear();
  }
}

function groupByChannel(deliveries: readonly DeliveryJobRef[]): Map<string, DeliveryJobRef[]> {
  return groupBy(deliveries, (d) => d.channel);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
