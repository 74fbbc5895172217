export * from './metrics.module';
export * from './metrics-registry';
export { UNMATCHED_ROUTE } from './http-metrics';
export { QueueMetrics } from './queue-metrics';
export { withTimeout } from './with-timeout';
