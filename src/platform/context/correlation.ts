/**
 * Keys of the per-request / per-job context (nestjs-cls). A request's context id is its request id;
 * a job or event handler sets the correlation and causation ids of the event it handles, so events
 * it causes are traceable to the original request.
 */
export const CLS_CORRELATION_ID = 'taskwire.correlationId';
export const CLS_CAUSATION_ID = 'taskwire.causationId';
