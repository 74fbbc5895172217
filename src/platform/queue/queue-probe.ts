import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { QueueNames } from './queue-names';
import { QueueBackendSettings } from './queue-backend';

/** Readiness probe of the queue backend: a real round-trip to Redis or to BullMQ's tables. */
@Injectable()
export class QueueProbe {
  constructor(
    @InjectQueue(QueueNames.platformSelfCheck) private readonly selfCheck: Queue,
    readonly settings: QueueBackendSettings,
  ) {}

  get kind(): string {
    return this.settings.kind;
  }

  async check(timeoutMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`queue backend (${this.kind}) did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.selfCheck.getJobCounts('waiting'), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  selfCheckQueue(): Queue {
    return this.selfCheck;
  }
}
