import { Inject, Injectable, Logger, OnModuleDestroy, Optional } from '@nestjs/common';
import type { JobsOptions, Queue } from 'bullmq';

/** How often every registered scheduler is asserted again (an idempotent upsert). */
export const DEFAULT_SCHEDULER_REASSERT_MS = 15_000;
export const JOB_SCHEDULERS_OPTIONS = Symbol('JOB_SCHEDULERS_OPTIONS');

export interface JobSchedulersOptions {
  reassertEveryMs: number;
}

export interface JobSchedulerSpec {
  /** The queue the scheduler's jobs go to (its owner keeps it open). */
  queue: Queue;
  /** Scheduler id: the same in every process, so the scheduler exists once however many run it. */
  id: string;
  everyMs: number;
  job: { name: string; data?: unknown; opts?: Omit<JobsOptions, 'repeat' | 'jobId'> };
}

/**
 * The one place BullMQ job schedulers are created. A scheduler lives in the queue backend, so a
 * backend that lost its data (a Redis restarted without persistence, a `FLUSHALL`) loses it too —
 * and the recovery it drives (the deliveries sweeper, the idempotency-key cleanup) would stop
 * until the next restart while readiness stays green. So upserting only at start-up is not
 * enough: every registered scheduler is upserted again every `reassertEveryMs` (a no-op while it
 * exists: the same id and repeat options return its pending iteration). A re-assertion that has
 * to re-create a scheduler logs a warning, which is what an operator sees after the data loss.
 */
@Injectable()
export class JobSchedulers implements OnModuleDestroy {
  private readonly logger = new Logger('JobSchedulers');
  private readonly specs = new Map<string, JobSchedulerSpec>();
  private readonly reassertEveryMs: number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(@Optional() @Inject(JOB_SCHEDULERS_OPTIONS) options?: JobSchedulersOptions) {
    this.reassertEveryMs = options?.reassertEveryMs ?? DEFAULT_SCHEDULER_REASSERT_MS;
  }

  /**
   * Registers (or replaces) a scheduler and upserts it now. Never rejects: an unreachable backend
   * must not hold up start-up (readiness reports it), and the next re-assertion retries.
   */
  async register(spec: JobSchedulerSpec): Promise<void> {
    this.specs.set(key(spec), spec);
    this.timer ??= setInterval(() => void this.reassertAll(), this.reassertEveryMs).unref();
    await this.upsert(spec).catch((err: Error) => this.logger.warn(`could not schedule ${describe(spec)}: ${err.message}`));
  }

  /** Asserts every registered scheduler once; overlapping runs are skipped. */
  reassertAll(): Promise<void> {
    this.running ??= Promise.all([...this.specs.values()].map((spec) => this.reassert(spec))).then(() => {
      this.running = null;
    });
    return this.running;
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
    this.specs.clear();
  }

  private async reassert(spec: JobSchedulerSpec): Promise<void> {
    if (spec.queue.closing) return;
    try {
      // A read first: the common case (the scheduler is there) costs no write on either backend.
      if (await spec.queue.getJobScheduler(spec.id)) return;
      await this.upsert(spec);
      this.logger.warn(`job scheduler ${describe(spec)} was missing from the queue backend (its data was lost?) and has been re-created`);
    } catch (err) {
      this.logger.warn(`could not re-assert job scheduler ${describe(spec)}: ${(err as Error).message}`);
    }
  }

  private async upsert(spec: JobSchedulerSpec): Promise<void> {
    await spec.queue.upsertJobScheduler(
      spec.id,
      { every: spec.everyMs },
      { name: spec.job.name, data: spec.job.data ?? {}, opts: spec.job.opts },
    );
  }
}

const key = (spec: JobSchedulerSpec) => `${spec.queue.name}\u0000${spec.id}`;
const describe = (spec: JobSchedulerSpec) => `"${spec.id}" (queue ${spec.queue.name}, every ${spec.everyMs} ms)`;
