import { EventView } from '../../../events';
import { Delivery, DeliveryStatus, PlannedDelivery, PublicDeliveryStatus, SuppressedReason } from '../../domain/delivery';
import { WebhookEndpoint } from '../../domain/webhook-endpoint';
import { InboxNotification, NotificationInbox } from './notification-inbox.port';

/**
 * The inbox rows of in-app rows recorded sent (delivered by the caller in the same transaction):
 * `of` gives a recorded row's inbox notification (null: none), `inbox` is where it goes.
 */
export interface InboxWrites {
  inbox: NotificationInbox;
  of(delivery: Pick<Delivery, 'id' | 'eventId' | 'channel' | 'recipientId' | 'status'>): InboxNotification | null;
}

export interface DeliveryFilter {
  eventId?: string;
  recipientId?: string;
  webhookId?: string;
  channel?: string;
  status?: PublicDeliveryStatus;
}

export interface DeliveryPage {
  items: Delivery[];
  /** id of the last item when there may be more (newest first). */
  nextBeforeId: string | null;
}

/** A delivery a worker holds under a lease, with its event. */
export interface ClaimedDelivery {
  delivery: Delivery;
  /** Proves the lease: only its holder may record the outcome. */
  leaseToken: string;
  event: EventView;
  /**
   * Read by the claim itself where the ledger can (one statement instead of one more per delivery):
   * a webhook row's endpoint as it is now (null: deleted), an email row's recipient's digest
   * setting. Undefined: not read with the claim — the attempt reads it through its own port.
   */
  endpoint?: WebhookEndpoint | null;
  emailDigest?: string;
}

/**
 * The delivery ledger (`notifications.deliveries`). Writes join the ambient transaction. One row per
 * (event, channel, recipient or webhook): recording the same again is a no-op.
 */
export abstract class DeliveryLedger {
  /**
   * Inserts the planned rows that do not exist yet; returns those inserted. A `sent` plan (delivered
   * by the caller in this transaction) is recorded sent with one attempt; a `sending` plan (attempted
   * by the caller after the commit) as claimed under its lease, with one attempt.
   */
  abstract record(event: Pick<EventView, 'id' | 'type'>, planned: readonly PlannedDelivery[]): Promise<Delivery[]>;
  /**
   * record() for the planned rows of many events at once (the relay's batch): the same rows, the same
   * idempotency. With `inApp`, each row inserted (not one that existed) gets its inbox notification
   * written in the same transaction. Adapters override it with one statement (the PostgreSQL ledger
   * writes the inbox rows in it too when the inbox is PostgreSQL's); this default records event by
   * event, then adds the inbox rows.
   */
  async recordMany(
    entries: ReadonlyArray<{ event: Pick<EventView, 'id' | 'type'>; planned: readonly PlannedDelivery[] }>,
    inApp?: InboxWrites,
  ): Promise<Delivery[]> {
    const all: Delivery[] = [];
    for (const { event, planned } of entries) all.push(...(await this.record(event, planned)));
    if (inApp) {
      const rows = all.map((d) => inApp.of(d)).filter((n): n is InboxNotification => n !== null);
      if (rows.length) await inApp.inbox.addMany(rows);
    }
    return all;
  }
  abstract find(id: string): Promise<Delivery | null>;
  /**
   * Atomically moves a due `pending`/`failed` delivery (or a `sending` one whose lease ran out) to
   * `sending`, counts the attempt and sets a lease. Null when it is not claimable.
   */
  abstract claim(id: string, leaseMs: number): Promise<ClaimedDelivery | null>;
  /**
   * Claims given back before their attempt started (rows recorded claimed by a process that stopped
   * attempting in between, shutting down): pending again, due now, the attempt not counted. Returns
   * the ids given back; a lease no longer held gives back nothing. Runs on its own, outside any
   * transaction (it follows the recording's commit).
   */
  abstract release(claims: ReadonlyArray<{ id: string; leaseToken: string }>): Promise<string[]>;
  /** Pushes the lease of a delivery being sent further out; false when it is no longer held. */
  abstract renewLease(id: string, leaseToken: string, leaseMs: number): Promise<boolean>;
  /** Outcome of a claimed attempt; false when the lease was lost meanwhile. */
  abstract markSent(id: string, leaseToken: string): Promise<boolean>;
  abstract markFailed(id: string, leaseToken: string, error: string, retryInMs: number): Promise<boolean>;
  abstract markDead(id: string, leaseToken: string, error: string): Promise<boolean>;
  abstract markSuppressed(id: string, leaseToken: string, reason: SuppressedReason): Promise<boolean>;
  /**
   * Makes a delivery in one of `from` pending again, due now, with a fresh retry schedule.
   * Returns it, or null when it is not in one of those states.
   */
  abstract requeue(id: string, from: readonly DeliveryStatus[]): Promise<Delivery | null>;
  abstract list(filter: DeliveryFilter, limit: number, beforeId: string | null): Promise<DeliveryPage>;
  /**
   * Deliveries that should be in a queue by now: pending/failed and overdue by `graceMs`, or
   * sending with an expired lease. Oldest due first. `among`: only these deliveries (a re-check).
   */
  abstract overdue(graceMs: number, limit: number, among?: readonly string[]): Promise<Array<Pick<Delivery, 'id' | 'channel'>>>;
}
