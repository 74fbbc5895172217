import { Attributes, ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';

/**
 * Trace context as W3C headers (`traceparent`, optionally `tracestate`): what an outbox row and a
 * job carry so the job's span continues the trace of the request that caused it.
 */
export type TraceCarrier = Record<string, string>;

let enabled = false;

/** Called by `startTracing` once an SDK is registered. With tracing off every helper here is a no-op. */
export function markTracingEnabled(on = true): void {
  enabled = on;
}

export function tracingEnabled(): boolean {
  return enabled;
}

/** The active trace context (e.g. of the HTTP request appending an event), or null when there is none. */
export function captureTraceContext(): TraceCarrier | null {
  if (!enabled) return null;
  const carrier: TraceCarrier = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : null;
}

export interface JobSpanInfo {
  queue: string;
  jobId?: string | null;
  jobName?: string;
  attempt?: number;
  attributes?: Attributes;
}

/**
 * Runs a job's work inside a CONSUMER span whose parent is the trace context the job carries, so
 * its SQL, Redis and HTTP calls (and the jobs it adds) belong to the trace of the original request.
 * Without a carrier the span starts a new trace. With tracing off it just runs `work`.
 */
export function withJobSpan<T>(info: JobSpanInfo, parent: TraceCarrier | null | undefined, work: () => Promise<T>): Promise<T> {
  if (!enabled) return work();
  const parentContext = parent && typeof parent === 'object' ? propagation.extract(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
  const attributes: Attributes = {
    'messaging.system': 'bullmq',
    'messaging.operation.type': 'process',
    'messaging.destination.name': info.queue,
    ...(info.jobId ? { 'messaging.message.id': String(info.jobId) } : {}),
    ...(info.jobName ? { 'bullmq.job.name': info.jobName } : {}),
    ...(info.attempt !== undefined ? { 'bullmq.job.attempt': info.attempt } : {}),
    ...(info.attributes ?? {}),
  };
  return trace
    .getTracer('taskwire')
    .startActiveSpan(`process ${info.queue}`, { kind: SpanKind.CONSUMER, attributes }, parentContext, async (span) => {
      try {
        return await work();
      } catch (err) {
        span.recordException(err as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error)?.message });
        throw err;
      } finally {
        span.end();
      }
    });
}

/**
 * Names the active HTTP server span after the route template (`POST /api/v1/tasks/:id`), never the
 * raw URL. Called from a Fastify onRequest hook while tracing is on.
 */
export function nameHttpServerSpan(method: string, route: string | undefined): void {
  if (!enabled || !route) return;
  const span = trace.getActiveSpan();
  if (!span) return;
  span.updateName(`${method} ${route}`);
  span.setAttribute('http.route', route);
}
