import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { DelayedError, Job, UnrecoverableError, Worker } from 'bullmq';
import { JobSchedulers } from '../../../platform/queue/job-schedulers';
import { DeclaresHandMadeQueues, HandMadeQueues } from '../../../platform/queue/processor-coverage.check';
import { QueueBackendSettings } from '../../../platform/queue/queue-backend';
import { QueueNames } from '../../../platform/queue/queue-names';
import { AttemptOutcome, DeliveryAttemptService } from '../application/delivery-attempt.service';
import { DeliveryRecoveryService } from '../application/delivery-recovery.service';
import { NotificationSettings } from '../application/notification-settings';
import { NotificationChannelRegistry } from '../application/ports/notification-channel.registry.port';
import { ClaimedDelivery } from '../application/ports/delivery-ledger.port';
import { EMAIL_CHANNEL, IN_APP_CHANNEL } from '../domain/notification-channels';
import { DeliveryJobData, DeliveryQueues, LocalDeliveryRunner } from './delivery-queues';

export const SWEEPER_SCHEDULER_ID = 'deliveries-sweeper';

/** At most `size` calls of `run` at once; the others wait their turn in order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = size;
  }
  /** Free places nobody waits for. */
  get idle(): number {
    return this.waiting.length > 0 ? 0 : this.free;
  }
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

/** How often the queues' paused flags are read (a paused queue's rows are not attempted at the relay). */
const PAUSED_REFRESH_MS = 1000;

/** How long a 'later' outcome waits: until a moment after `until`, and never less than that moment. */
const laterDelayMs = (until: Date): number => Math.max(until.getTime() - Date.now(), 0) + 250;

/** What a batch job came to: how many of its deliveries ended which way; `later` went on in jobs of their own. */
export interface BatchOutcome {
  kind: 'batch';
  sent: number;
  skipped: number;
  dead: number;
  later: number;
}
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
export class DeliveryWorkers implements OnApplicationBootstrap, OnModuleDestroy, HandMadeQueues, LocalDeliveryRunner {
  private readonly logger = new Logger('DeliveryWorkers');
  private readonly workers: Worker[] = [];
  /**
   * Attempts in flight per queue: the queue's concurrency bounds sends, not jobs — a batch job's
   * deliveries take their turns with every other job's, so NOTIFY_CONCURRENCY still caps how many
   * requests a receiver (or the SMTP pool) sees at once.
   */
  private readonly slots = new Map<string, Slots>();
  /** Deliveries being attempted here without a job (dispatched after their commit: see take()). */
  private readonly attempting = new Set<string>();
  private readonly localRuns = new Set<Promise<void>>();
  /** Queues paused (in the dashboard, say), refreshed every second: rows of those are not attempted here. */
  private paused = new Set<string>();
  private pausedTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly backend: QueueBackendSettings,
    private readonly channels: NotificationChannelRegistry,
    private readonly queues: DeliveryQueues,
    private readonly attempts: DeliveryAttemptService,
    private readonly recovery: DeliveryRecoveryService,
    private readonly settings: NotificationSettings,
    private readonly schedulers: JobSchedulers,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const spec of this.deliverySpecs()) this.workers.push(this.deliveryWorker(spec.queue, spec.concurrency));
    if (this.settings.sendAtRelay) {
      await this.refreshPaused();
      this.pausedTimer = setInterval(() => void this.refreshPaused(), PAUSED_REFRESH_MS);
      this.pausedTimer.unref();
      this.queues.attemptHere(this);
    }
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
    this.queues.attemptHere(null);
    if (this.pausedTimer) clearInterval(this.pausedTimer);
    await Promise.all(this.workers.splice(0).map((w) => w.close().catch(() => undefined)));
    await Promise.allSettled([...this.localRuns]);
  }

  /**
   * Rows just recorded by this process (after their commit) are attempted here at once when their
   * queue's worker runs here and has room for all of them: the queue round trips (add, fetch,
   * complete) are not on their way. Durability is the ledger row's: a crash leaves it pending or
   * leased, and the sweeper queues it (as for rows whose jobs were lost). Those that cannot finish
   * now go on in jobs of their own, as in a batch job; so does every retry.
   */
  take(queue: string, channel: string, ids: readonly string[]): boolean {
    if (!this.hasRoom(queue, ids.length)) return false;
    this.runHere(queue, channel, ids, (id) => this.attempt(queue, id));
    return true;
  }

  hasRoom(queue: string, count: number): boolean {
    const slots = this.slots.get(queue);
    return Boolean(slots && slots.idle >= count && !this.paused.has(queue));
  }

  /**
   * Rows the publisher recorded claimed because hasRoom said yes (the claim's round trip saved):
   * attempted like take()'s, under the leases they were recorded with. Their slots were not held in
   * between, so one may wait a moment for its turn (attemptClaimed then makes sure its lease is still held).
   */
  takeClaimed(queue: string, channel: string, claimed: readonly ClaimedDelivery[], claimedAt: number): void {
    const byId = new Map(claimed.map((c) => [c.delivery.id, c]));
    this.runHere(queue, channel, [...byId.keys()], (id) =>
      this.inSlot(queue, () => this.attempts.attemptClaimed(byId.get(id)!, claimedAt)),
    );
  }

  /** Attempts `ids` here, without a job; those that cannot finish now go on in jobs of their own. */
  private runHere(queue: string, channel: string, ids: readonly string[], attempt: (id: string) => Promise<AttemptOutcome>): void {
    for (const id of ids) this.attempting.add(id);
    // Called after the recording transaction's commit but still in its context: the attempts run
    // outside it, as a job's do (their claims and outcomes then share statements across attempts).
    const run = this.txHost
      .withoutTransaction(() => this.attemptAll(ids, attempt))
      .then(({ later }) => this.queues.addLater(queue, channel, later))
      .catch((err: Error) => this.logger.warn(`deliveries attempted here (${ids.length}) left for the sweeper: ${err.message}`))
      .finally(() => {
        for (const id of ids) this.attempting.delete(id);
        this.localRuns.delete(run);
      });
    this.localRuns.add(run);
  }

  isAttempting(id: string): boolean {
    return this.attempting.has(id);
  }

  /** A paused queue pauses its deliveries here too (within a second); on a failed check the last state holds. */
  private async refreshPaused(): Promise<void> {
    const queues = this.deliverySpecs().map((spec) => spec.queue);
    try {
      const states = await Promise.all(queues.map((name) => this.queues.queue(name).isPaused()));
      this.paused = new Set(queues.filter((_, i) => states[i]));
    } catch (err) {
      this.logger.debug(`paused queues not refreshed: ${(err as Error).message}`);
    }
  }

  private deliveryWorker(queue: string, concurrency: number): Worker<DeliveryJobData> {
    const schedule = this.settings.retrySchedule;
    this.slots.set(queue, new Slots(concurrency));
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

  private async process(job: Job<DeliveryJobData>, token?: string): Promise<AttemptOutcome | BatchOutcome> {
    if (job.data.deliveryIds) return this.processBatch(job, job.data.deliveryIds);
    const deliveryId = job.data.deliveryId ?? job.id!;
    const outcome = await this.attempt(job.queueName, deliveryId);
    switch (outcome.kind) {
      case 'sent':
      case 'skipped':
        return outcome;
      case 'later':
        // Not claimable yet (lease held elsewhere, or the retry is not due): come back then,
        // without using up an attempt.
        await job.moveToDelayed(Date.now() + laterDelayMs(outcome.until), token);
        throw new DelayedError();
      case 'retry':
        throw new RetryLaterError(outcome.error, outcome.delayMs);
      case 'dead':
        throw new UnrecoverableError(outcome.error);
    }
  }

  /**
   * A batch job: every delivery it carries is attempted at once (each claims its own ledger row,
   * so a re-run after a crash sends nothing twice). Those that cannot finish now — not claimable
   * yet, or failed with a retry scheduled — go on in a job of their own, due when the ledger says;
   * the batch job itself completes. Should scheduling those fail, the batch job fails and runs
   * again: the rows already done are skipped by their claim.
   */
  private async processBatch(job: Job<DeliveryJobData>, ids: readonly string[]): Promise<BatchOutcome> {
    const { outcome, later } = await this.attemptAll(ids, (id) => this.attempt(job.queueName, id));
    await this.queues.addLater(job.queueName, job.name, later);
    return outcome;
  }

  /** Attempts every delivery at once; returns the counts and those to go on later in jobs of their own. */
  private async attemptAll(
    ids: readonly string[],
    attempt: (id: string) => Promise<AttemptOutcome>,
  ): Promise<{ outcome: BatchOutcome; later: Array<{ id: string; delayMs: number }> }> {
    const settled = await Promise.allSettled(ids.map((id) => attempt(id)));
    const outcome: BatchOutcome = { kind: 'batch', sent: 0, skipped: 0, dead: 0, later: 0 };
    const later: Array<{ id: string; delayMs: number }> = [];
    settled.forEach((result, i) => {
      if (result.status === 'rejected') {
        // Not an outcome of the send (the database was unreachable, say): the schedule's first delay.
        later.push({ id: ids[i], delayMs: this.settings.retrySchedule.delaysMs[0] ?? 1000 });
        return;
      }
      const attempt = result.value;
      if (attempt.kind === 'sent') outcome.sent += 1;
      else if (attempt.kind === 'skipped') outcome.skipped += 1;
      else if (attempt.kind === 'dead') outcome.dead += 1;
      else
        later.push({
          id: ids[i],
          delayMs: attempt.kind === 'retry' ? attempt.delayMs : laterDelayMs(attempt.until),
        });
    });
    outcome.later = later.length;
    return { outcome, later };
  }

  private attempt(queue: string, deliveryId: string): Promise<AttemptOutcome> {
    return this.inSlot(queue, () => this.attempts.attempt(deliveryId));
  }

  /** One attempt, in its turn among the queue's NOTIFY_CONCURRENCY. */
  private inSlot(queue: string, attempt: () => Promise<AttemptOutcome>): Promise<AttemptOutcome> {
    const slots = this.slots.get(queue);
    return slots ? slots.run(attempt) : attempt();
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
