import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { QueueNames } from './queue-names';

export interface SelfCheckResult {
  echoed: unknown;
  processedBy: number;
  at: string;
}

/** Proves the queue round-trip end to end: a job added by the API is processed by a worker. */
@Processor(QueueNames.platformSelfCheck)
export class SelfCheckProcessor extends WorkerHost {
  async process(job: Job<{ echo: unknown }>): Promise<SelfCheckResult> {
    return { echoed: job.data.echo, processedBy: process.pid, at: new Date().toISOString() };
  }
}
