import type { TraceCarrier } from '../../../platform/tracing';
import type { EventView } from '../domain/stored-event';

/**
 * What the relay puts on the `events` queue: the event, plus the trace context of the request that
 * appended it (only while tracing is on), which EventProcessor strips before handlers see the event.
 * Its own file, so producer (OutboxRelay) and consumer (EventProcessor) share the shape without the
 * consumer importing the producer.
 */
export type EventJobData = EventView & { traceContext?: TraceCarrier };
