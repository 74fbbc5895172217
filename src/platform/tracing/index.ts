// Light helpers only (@opentelemetry/api): importing them loads no SDK and no instrumentation.
export * from './trace-context';
export type { TracingHandle, TracingOptions } from './tracing-sdk';
