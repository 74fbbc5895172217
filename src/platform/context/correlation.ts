/**
 * Keys of the per-request / per-job context (nestjs-cls). A request's context id is its request id;
 * a job or event handler sets the correlation and causation ids of the event it handles, so events
 * it causes are traceable to the original request. Every log line carries the correlation id, the
 * event id and the job id found here (see `logContextFields` and the pino mixin in LoggingModule).
 */
export const CLS_CORRELATION_ID = 'taskwire.correlationId';
export const CLS_CAUSATION_ID = 'taskwire.causationId';
/** Id of the event being handled (set by the event bus and by processors of event-derived jobs). */
export const CLS_EVENT_ID = 'taskwire.eventId';
/** Id of the BullMQ job being processed. */
export const CLS_JOB_ID = 'taskwire.jobId';
