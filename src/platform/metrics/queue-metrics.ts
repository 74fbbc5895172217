import { WorkerHost, getQueueToken } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import type { Job, JobType, Queue, Worker } from 'bullmq';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { QueueNames } from '../queue/queue-names';
import { withTimeout } from './with-timeout';

const DEPTH_TIMEOUT_MS = 2_000;
const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
/** 'paused' is missing from BullMQ's JobType but counted by its backends (jobs added while the queue is paused). */
const COUNTED = ['waiting', 'prioritized', 'paused', 'active', 'delayed', 'failed'] as unknown as JobType[];

/**
 * Queue metrics for every queue of QueueNames registered in this app:
 * - depth by state (waiting, active, delayed, failed) and whether the queue is paused, read from the
 *   queue backend at scrape time: the same numbers from every process (use max by (queue, state));
 * - completed / failed / stalled counters and job duration, from the events of the workers that
 *   run in this process (worker processes only; sum them across processes).
 * Queues and workers of `@nestjs/bullmq` (BullModule.registerQueue, @Processor) are found by
 * themselves; code that creates BullMQ objects directly reports them with `observeQueue` and
 * `observeWorker`.
 */
@Injectable()
export class QueueMetrics implements OnApplicationBootstrap {
  private readonly queues = new Map<string, Queue>();
  private readonly workers = new WeakSet<Worker>();
  private readonly completed: Counter<'queue'>;
  private readonly failed: Counter<'queue' | 'final'>;
  private readonly stalled: Counter<'queue'>;
  private readonly duration: Histogram<'queue' | 'outcome'>;

  constructor(
    registry: Registry,
    private readonly moduleRef: ModuleRef,
    private readonly discovery: DiscoveryService,
  ) {
    const registers = [registry];
    const queues = this.queues;
    new Gauge({
      name: 'taskwire_queue_jobs',
      help: 'Jobs in each queue by state (waiting includes prioritized jobs and jobs held by a paused queue)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        this.reset();
        await Promise.all(
          [...queues].map(async ([name, queue]) => {
            if (queue.closing) return void queues.delete(name); // closed by its owner: forget it
            const counts = await withTimeout(queue.getJobCounts(...COUNTED), DEPTH_TIMEOUT_MS, 'queue backend did not answer').catch(
              () => null,
            );
            if (!counts) return; // backend down: no numbers rather than stale ones (readiness says why)
            const values: Record<(typeof STATES)[number], number> = {
              // Redis keeps a paused queue's jobs in 'wait', BullMQ's PostgreSQL backend in 'paused'.
              waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.paused ?? 0),
              active: counts.active ?? 0,
              delayed: counts.delayed ?? 0,
              failed: counts.failed ?? 0,
            };
            for (const state of STATES) this.set({ queue: name, state }, values[state]);
          }),
        );
      },
    });
    new Gauge({
      name: 'taskwire_queue_paused',
      help: '1 while the queue is paused (e.g. from Bull Board): its jobs wait, nothing processes them',
      labelNames: ['queue'],
      registers,
      async collect() {
        this.reset();
        await Promise.all(
          [...queues].map(async ([name, queue]) => {
            if (queue.closing) return;
            const paused = await withTimeout(queue.isPaused(), DEPTH_TIMEOUT_MS, 'queue backend did not answer').catch(() => null);
            if (paused !== null) this.set({ queue: name }, paused ? 1 : 0);
          }),
        );
      },
    });
    this.completed = new Counter({
      name: 'taskwire_queue_jobs_completed_total',
      help: 'Jobs completed by the workers of this process',
      labelNames: ['queue'],
      registers,
    });
    this.failed = new Counter({
      name: 'taskwire_queue_jobs_failed_total',
      help: 'Job attempts that failed in the workers of this process; final="true" when no retry is left (the job is in the failed set)',
      labelNames: ['queue', 'final'],
      registers,
    });
    this.stalled = new Counter({
      name: 'taskwire_queue_jobs_stalled_total',
      help: 'Jobs found stalled (their worker died or blocked the event loop) and moved back',
      labelNames: ['queue'],
      registers,
    });
    this.duration = new Histogram({
      name: 'taskwire_queue_job_duration_seconds',
      help: 'Processing time of one job attempt, by queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
  }

  onApplicationBootstrap(): void {
    for (const name of Object.values(QueueNames)) {
      try {
        this.queues.set(name, this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
      } catch {
        /* not registered in this app (yet) */
      }
    }
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!(instance instanceof WorkerHost)) continue;
      let worker: Worker;
      try {
        worker = instance.worker;
      } catch {
        continue; // processor not started in this process
      }
      this.observeWorker(worker);
    }
  }

  /** Reports the depth of a queue created outside BullModule (`new Queue(...)`). */
  observeQueue(queue: Queue): void {
    if (!this.queues.has(queue.name)) this.queues.set(queue.name, queue);
  }

  /** Queues whose depth is reported (tests and the dashboard check use it). */
  get queueNames(): string[] {
    return [...this.queues.keys()];
  }

  /** Counts the jobs of a worker created outside @Processor (`new Worker(...)`); once per worker. */
  observeWorker(worker: Worker): void {
    if (this.workers.has(worker)) return;
    this.workers.add(worker);
    const queue = worker.name;
    // Present from the start at 0, so rate() and increase() see the first job.
    this.completed.inc({ queue }, 0);
    this.failed.inc({ queue, final: 'true' }, 0);
    this.failed.inc({ queue, final: 'false' }, 0);
    this.stalled.inc({ queue }, 0);
    worker.on('completed', (job: Job) => {
      this.completed.inc({ queue });
      this.observeDuration(queue, 'completed', job);
    });
    worker.on('failed', (job: Job | undefined) => {
      // finishedOn is set only when the job moved to the failed set (no retry left).
      this.failed.inc({ queue, final: job?.finishedOn ? 'true' : 'false' });
      if (job) this.observeDuration(queue, 'failed', job);
    });
    worker.on('stalled', () => this.stalled.inc({ queue }));
  }

  private observeDuration(queue: string, outcome: 'completed' | 'failed', job: Job): void {
    if (!job.processedOn) return;
    const seconds = Math.max(0, ((job.finishedOn || Date.now()) - job.processedOn) / 1000);
    this.duration.observe({ queue, outcome }, seconds);
  }
}
