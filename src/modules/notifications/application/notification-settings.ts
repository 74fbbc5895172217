import { RetrySchedule } from '../domain/retry-schedule';

/** Tunables of the delivery pipeline (bound from AppConfig by the notifications module). */
export abstract class NotificationSettings {
  abstract retrySchedule: RetrySchedule;
  abstract appPublicUrl: string;
  abstract mailFrom: string;
  abstract allowPrivateWebhookTargets: boolean;
  abstract webhookDisableAfterMs: number;
  /** How long a worker holds a claimed delivery: longer than any send may take (sendTimeoutMs). */
  abstract leaseMs: number;
  /** Upper bound of one send (SMTP session, HTTP request). */
  abstract sendTimeoutMs: number;
  /** How often the sweeper looks for overdue deliveries, and how overdue they must be. */
  abstract sweepIntervalMs: number;
  abstract sweepGraceMs: number;
  /** Jobs each worker process runs at once per built-in delivery queue (email, in-app, webhooks). */
  abstract deliveryConcurrency: number;
  /**
   * Most deliveries one job carries (NOTIFY_JOB_BATCH): rows of one channel planned together go
   * into jobs of up to this many, so a backlog costs one queue job per batch, not per recipient.
   */
  abstract deliveryJobBatch: number;
  /**
   * NOTIFY_SEND_AT_RELAY: rows just recorded are attempted in the process that recorded them when
   * its delivery worker for their queue has room (no queue job: the ledger row is what makes them
   * durable, the sweeper what recovers them); the rest, and every retry, go through the queues.
   */
  abstract sendAtRelay: boolean;
}

export const DEFAULT_SEND_TIMEOUT_MS = 20_000;
export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_SWEEP_INTERVAL_MS = 5_000;
export const DEFAULT_SWEEP_GRACE_MS = 5_000;
