import { WorkerHost, getQueueToken } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import { QueueNames } from './queue-names';

/** The same error of the same queue or worker is logged once per this window (an outage repeats it many times a second). */
const REPEAT_WINDOW_MS = 10_000;

/**
 * `@nestjs/bullmq` attaches no `error` listener to the queues it registers or the workers of
 * `@Processor` classes, and BullMQ then falls back to `console.error(err)`: while the database or
 * Redis was down every connection error was dumped with its stack and the driver's client object,
 * past the logger and its redaction. One warn line per queue/worker and message instead (the
 * outage itself is reported by readiness and the embedded supervisor). Queues and workers made
 * with `new Queue`/`new Worker` attach their own listeners.
 */
@Injectable()
export class QueueErrorLogging implements OnApplicationBootstrap {
  private readonly logger = new Logger('Queues');
  private readonly lastLogged = new Map<string, number>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly discovery: DiscoveryService,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of Object.values(QueueNames)) {
      let queue: Queue;
      try {
        queue = this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
      } catch {
        continue; // not registered in this app
      }
      queue.on('error', (err: Error) => this.warn(`queue ${name}`, err));
    }
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!(instance instanceof WorkerHost)) continue;
      try {
        const worker = instance.worker;
        worker.on('error', (err: Error) => this.warn(`worker ${worker.name}`, err));
      } catch {
        /* processor not started in this process */
      }
    }
  }

  private warn(source: string, err: Error): void {
    const key = `${source}: ${err.message}`;
    const now = Date.now();
    if (now - (this.lastLogged.get(key) ?? 0) < REPEAT_WINDOW_MS) return;
    this.lastLogged.set(key, now);
    if (this.lastLogged.size > 1000) this.lastLogged.clear();
    this.logger.warn(key);
  }
}
