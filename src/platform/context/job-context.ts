import { ClsService, ClsServiceManager } from 'nestjs-cls';
import { CLS_CAUSATION_ID, CLS_CORRELATION_ID, CLS_EVENT_ID, CLS_JOB_ID } from './correlation';

/** What a job (or an event handler) runs under: logged on every line, inherited by events it publishes. */
export interface JobContext {
  /** The correlation id of the cause (X-Request-Id of the original request); null when unknown. */
  correlationId?: string | null;
  /** The event this job works for (also becomes the causation id of events it publishes). */
  eventId?: string | null;
  /** The BullMQ job id. */
  jobId?: string | null;
  /** Causation id of events published inside; defaults to `eventId`. */
  causationId?: string | null;
}

/**
 * Runs `work` in a fresh ambient context (no inherited transaction) carrying the job's correlation
 * id, event id and job id, so every log line written inside carries them and events published
 * inside keep the correlation id and name the event as their cause.
 *
 * Every queue processor calls this around its work:
 *
 *   async process(job: Job<EmailJob>) {
 *     return runWithJobContext(this.cls, { correlationId: job.data.correlationId, eventId: job.data.eventId, jobId: job.id }, () =>
 *       this.delivery.send(job.data),
 *     );
 *   }
 *
 * (`withJobSpan` from platform/tracing adds the job's trace span around it.)
 */
export function runWithJobContext<T>(cls: ClsService, context: JobContext, work: () => Promise<T>): Promise<T> {
  return cls.runWith({}, () => {
    setJobContext(cls, context);
    return work();
  });
}

/** Sets the job keys on the current (already active) context; unset values stay unset. */
export function setJobContext(cls: ClsService, context: JobContext): void {
  if (context.correlationId) cls.set(CLS_CORRELATION_ID, context.correlationId);
  const causation = context.causationId ?? context.eventId;
  if (causation) cls.set(CLS_CAUSATION_ID, causation);
  if (context.eventId) cls.set(CLS_EVENT_ID, context.eventId);
  if (context.jobId) cls.set(CLS_JOB_ID, String(context.jobId));
}

export interface LogContextFields {
  correlationId?: string;
  eventId?: string;
  jobId?: string;
}

/**
 * The context fields of the current async context, for log lines: the correlation id (the
 * request id inside a request), and the event and job ids inside jobs and event handlers.
 * Cheap and safe outside any context (returns an empty object).
 */
export function logContextFields(cls: ClsService | undefined = safeClsService()): LogContextFields {
  if (!cls || !cls.isActive()) return {};
  const fields: LogContextFields = {};
  const correlationId = cls.get<string | undefined>(CLS_CORRELATION_ID) ?? cls.getId();
  if (correlationId) fields.correlationId = correlationId;
  const eventId = cls.get<string | undefined>(CLS_EVENT_ID);
  if (eventId) fields.eventId = eventId;
  const jobId = cls.get<string | undefined>(CLS_JOB_ID);
  if (jobId) fields.jobId = jobId;
  return fields;
}

function safeClsService(): ClsService | undefined {
  try {
    return ClsServiceManager.getClsService();
  } catch {
    return undefined;
  }
}
