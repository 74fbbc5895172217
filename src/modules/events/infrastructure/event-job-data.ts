import type { TraceCarrier } from '../../../platform/tracing';
import type { EventView } from '../domain/stored-event';

/**
 * What the relay puts on the `events` queue: the event, plus the trace context of the request that
 * appended it (only while tracing is on), which EventProcessor strips before handlers see the event.
 * Its own file, so producer (OutboxRelay) and consumer (EventProcessor) share the shape without the
 * consumer importing the producer.
 */
export type EventJobData = EventView & {
  traceContext?: TraceCarrier;
  /**
   * Handlers the relay ran for this event in its batch transaction. A hint only (the job may have
   * been added by a relay transaction that then rolled back): the bus checks `handler_runs` for them.
   */
  handledAtRelay?: string[];
};
