import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { AppConfig } from '../../../platform/config';
import { QueueNames } from '../../../platform/queue';
import { EventView } from '../domain/stored-event';
import { DispatchResult, EventBusDispatcher } from './event-bus.dispatcher';



/** The design's EventProcessorWorker: one job per event, handed to the in-process event bus. */
@Processor(QueueNames.events)
export class EventProcessor extends WorkerHost {
  private readonly logger = new Logger('EventProcessor');

  constructor(
    private readonly bus: EventBusDispatcher,
    private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.eventsConcurrency;
  }

  async process(job: Job<EventView>): Promise<DispatchResult> {
    const result = await this.bus.dispatch(job.data);
    this.logger.debug({ eventId: job.data.id, jobId: job.id, correlationId: job.data.correlationId, ...result }, `event ${job.data.type} handled`);
    return result;
  }
}
