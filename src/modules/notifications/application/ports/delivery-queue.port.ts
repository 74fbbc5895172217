import type { ClaimedDelivery } from './delivery-ledger.port';

/** A delivery to queue: its id and its channel (which queue). */
export interface DeliveryJobRef {
  id: string;
  channel: string;
}

/** The per-channel job queues (BullMQ). */
export abstract class DeliveryQueue {
  /**
   * Queues deliveries planned together: per channel, jobs of up to NOTIFY_JOB_BATCH of them (job id
   * derived from the first; a lone delivery's job id is its own id), so a duplicate add is a no-op.
   */
  abstract enqueue(deliveries: readonly DeliveryJobRef[]): Promise<void>;
  /**
   * Deliveries just recorded, after their commit: those this process can attempt at once (it runs
   * their queue's worker, which has room, and NOTIFY_SEND_AT_RELAY is on) are attempted here without
   * a queue job; the rest are enqueued. This default enqueues them all.
   */
  async dispatch(deliveries: readonly DeliveryJobRef[]): Promise<void> {
    await this.enqueue(deliveries);
  }
  /**
   * Whether this process would attempt `count` rows of `channel` itself at once (as dispatch does:
   * NOTIFY_SEND_AT_RELAY on, its worker for their queue here with that much room, the queue not
   * paused). Asked before recording: such rows are then recorded claimed (`sending`, under a lease of
   * the caller's) and handed to attemptClaimed after their commit — the claim's round trip saved.
   * This default never does.
   */
  canAttemptHere(_channel: string, _count: number): boolean {
    return false;
  }
  /**
   * Rows recorded claimed after canAttemptHere said yes, after their commit (`claimedAt`: when their
   * leases were taken, before the recording): attempted in this process. Returns those it does not
   * attempt because it stopped attempting here meanwhile (shutting down): the caller gives their
   * claims back (DeliveryLedger.release) and enqueues them, instead of leaving them leased.
   */
  attemptClaimed(_claimed: readonly ClaimedDelivery[], _claimedAt: number): readonly ClaimedDelivery[] {
    throw new Error('this delivery queue does not attempt deliveries itself (canAttemptHere is always false)');
  }
  /**
   * For deliveries that must run (again): adds a job unless a live one (waiting, delayed, active)
   * exists; a finished job with the same id is replaced. Returns how many jobs were added.
   */
  abstract ensureQueued(deliveries: readonly DeliveryJobRef[]): Promise<number>;
  /**
   * The deliveries that have no live job (waiting, delayed, active): what the sweeper may have to
   * queue again. A delayed job of one of them is promoted (it is overdue), and counts as live.
   */
  abstract withoutLiveJob(deliveries: readonly DeliveryJobRef[]): Promise<DeliveryJobRef[]>;
}
