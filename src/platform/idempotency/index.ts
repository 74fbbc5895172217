export * from './idempotency.module';
export * from './idempotency.settings';
export * from './idempotency-key';
export * from './idempotency-store';
export * from './request-fingerprint';
export * from './idempotency-openapi';
export { IDEMPOTENCY_CLEANUP_JOB, IDEMPOTENCY_CLEANUP_SCHEDULER } from './idempotency-cleanup.processor';
export type { IdempotencyCleanupResult } from './idempotency-cleanup.processor';
