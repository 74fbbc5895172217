export * from './job-schedulers';
export * from './queue-backend';
export * from './queue-names';
export { DeclaresHandMadeQueues, type HandMadeQueues } from './processor-coverage.check';
export * from './queue-probe';
export * from './stall-detection';
export * from './queue.module';
export type { SelfCheckResult } from './self-check.processor';
