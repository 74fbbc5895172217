import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { ClsService } from 'nestjs-cls';
import { AppConfig } from '../../../platform/config';
import { runWithJobContext } from '../../../platform/context';
import { QueueNames, SHORT_JOB_STALL_DETECTION } from '../../../platform/queue';
import { withJobSpan } from '../../../platform/tracing';
import { EventView } from '../domain/stored-event';
import { DispatchResult, EventBusDispatcher } from './event-bus.dispatcher';
import { EventJobData } from './event-job-data';

/**
 * The design's EventProcessorWorker: one job per event, handed to the in-process event bus. The job
 * runs in the event's trace (a span whose parent is the request that appended the event) and in a
 * context carrying its correlation id, event id and job id, which every log line shows.
 */
// Handlers are idempotent (handler_runs), so a job whose worker died may run again: BullMQ's default
// (maxStalledCount 1) would fail an event stalled twice for good, and it would never be handled.
// The short lock and stall interval bring a dead worker's job back within ~10-20 s, not ~75 s.
@Processor(QueueNames.events, { maxStalledCount: 10, ...SHORT_JOB_STALL_DETECTION })
export class EventProcessor extends WorkerHost {
  private readonly logger = new Logger('EventProcessor');

  constructor(
    private readonly bus: EventBusDispatcher,
    private readonly config: AppConfig,
    private readonly cls: ClsService,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.eventsConcurrency;
  }

  async process(job: Job<EventJobData>): Promise<DispatchResult> {
    // `relayCommitted` (set by earlier relays on jobs added after their commit) is dropped: the bus
    // checks handler_runs for `handledAtRelay`, as for any other relayed job.
    const { traceContext, handledAtRelay, relayCommitted: _earlier, ...event } = job.data as EventJobData & { relayCommitted?: true };
    const view: EventView = event;
    const jobId = job.id ?? view.id;
    return withJobSpan(
      {
        queue: QueueNames.events,
        jobId,
        jobName: job.name,
        attempt: job.attemptsMade + 1,
        attributes: { 'taskwire.event.id': view.id, 'taskwire.event.type': view.type },
      },
      traceContext,
      () =>
        runWithJobContext(this.cls, { correlationId: view.correlationId, eventId: view.id, jobId }, async () => {
          const result = await this.bus.dispatch(view, { jobId, handledAtRelay });
          this.logger.debug({ eventType: view.type, ...result }, `event ${view.type} handled`);
          return result;
        }),
    );
  }
}
