import type { NodeSDKConfiguration } from '@opentelemetry/sdk-node';
import { markTracingEnabled } from './trace-context';

export interface TracingHandle {
  /** Flushes pending spans and stops the SDK (called on graceful shutdown). */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  /** Extra span processors (tests pass an in-memory exporter's processor). */
  spanProcessors?: NodeSDKConfiguration['spanProcessors'];
  /** Start even without OTEL_EXPORTER_OTLP_ENDPOINT (tests). */
  force?: boolean;
}

/** The requests that are never traced: probes and scrapes. */
const UNTRACED_PATHS = /^\/(health\/|metrics(\?|$))/;

let current: TracingHandle | null = null;

/**
 * OpenTelemetry, on only when OTEL_EXPORTER_OTLP_ENDPOINT (or ..._TRACES_ENDPOINT) is set and
 * OTEL_SDK_DISABLED is not true. Must run before `http`, `pg` and `ioredis` are loaded (the first
 * import of main.ts). When off, nothing of the SDK or the instrumentations is even loaded.
 *
 * Exporter, protocol, headers, sampler and service name come from the standard OTEL_* variables
 * (OTLP over http/protobuf by default; `OTEL_EXPORTER_OTLP_PROTOCOL=http/json` or `grpc` work too).
 */
export function startTracing(env: NodeJS.ProcessEnv = process.env, options: TracingOptions = {}): TracingHandle | null {
  if (current) return current;
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if ((!endpoint && !options.force) || /^(true|1)$/i.test(env.OTEL_SDK_DISABLED ?? '')) return null;

  /* eslint-disable @typescript-eslint/no-require-imports -- loaded only when tracing is on */
  const { NodeSDK, resources } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof import('@opentelemetry/instrumentation-http');
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as typeof import('@opentelemetry/instrumentation-pg');
  const { IORedisInstrumentation } =
    require('@opentelemetry/instrumentation-ioredis') as typeof import('@opentelemetry/instrumentation-ioredis');
  /* eslint-enable @typescript-eslint/no-require-imports */

  const sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME || 'taskwire',
    resource: resources.defaultResource().merge(resources.resourceFromAttributes({ 'taskwire.role': env.APP_ROLE || 'all' })),
    // Traces only: metrics are Prometheus (/metrics), logs are pino on stdout.
    metricReaders: [],
    logRecordProcessors: [],
    ...(options.spanProcessors ? { spanProcessors: options.spanProcessors } : {}),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.test(req.url ?? ''),
        // Outgoing calls (webhooks, SendGrid) only as part of a traced request or job.
        requireParentforOutgoingSpans: true,
      }),
      // Only SQL and Redis commands inside a request or a job: not the relay's polling, the
      // heartbeat or BullMQ's blocking fetches, which would each start a trace of their own.
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
      new IORedisInstrumentation({ requireParentSpan: true }),
    ],
  });
  sdk.start();
  markTracingEnabled(true);
  current = {
    shutdown: async () => {
      markTracingEnabled(false);
      current = null;
      await sdk.shutdown().catch(() => undefined);
    },
  };
  return current;
}

/** The running SDK, if any (main.ts flushes it on shutdown). */
export function activeTracing(): TracingHandle | null {
  return current;
}
