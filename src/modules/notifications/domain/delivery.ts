/**
 * One row of the delivery ledger: a single (event, channel, recipient) — or (event, webhook,
 * endpoint) — and everything that happened to it. The ledger answers, for any event, who was told
 * through which channel, and why anyone was not.
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'sent', 'failed', 'dead', 'suppressed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** What the API shows: `sending` (claimed by a worker, under a lease) is still `pending` to callers. */
export const PUBLIC_DELIVERY_STATUSES = ['pending', 'sent', 'failed', 'dead', 'suppressed'] as const;
export type PublicDeliveryStatus = (typeof PUBLIC_DELIVERY_STATUSES)[number];

/** Why a recipient in the audience was not told. */
export const SUPPRESSED_REASONS = ['preference', 'actor', 'user_inactive'] as const;
export type SuppressedReason = (typeof SUPPRESSED_REASONS)[number];

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  channel: string;
  /** User channels (email, in_app, extensions). */
  recipientId: string | null;
  /** The webhook channel. */
  webhookId: string | null;
  status: DeliveryStatus;
  suppressedReason: SuppressedReason | null;
  /** Attempts made so far, including those before a manual retry. */
  attempts: number;
  /** `attempts` when the delivery was last re-queued by hand: the retry schedule restarts there. */
  scheduleOffset: number;
  lastError: string | null;
  /** pending/failed: when the next attempt is due; sending: when the worker's lease runs out. */
  nextAttemptAt: Date | null;
  sentAt: Date | null;
  /** The email digest window this (email) delivery was held in and sent with; null otherwise. */
  digestId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A row the publisher decided to write. */
export interface PlannedDelivery {
  channel: string;
  recipientId: string | null;
  webhookId: string | null;
  /**
   * `sent`: delivered by its writer inside the same transaction (an in-app row written with its inbox
   * row), so it is recorded sent with its one attempt instead of being queued.
   * `sending`: claimed by its writer, which attempts it itself right after the commit (no queue job):
   * recorded with its first attempt counted, under `lease` — the row a claim would have made.
   */
  status: 'pending' | 'suppressed' | 'sent' | 'sending';
  suppressedReason: SuppressedReason | null;
  /** A `sending` plan's lease: its token, and how long it lasts from the recording. */
  lease?: { token: string; ms: number };
}

/** The public shape (docs/api.md "Notifications"). */
export interface DeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  channel: string;
  recipientId: string | null;
  webhookId: string | null;
  status: PublicDeliveryStatus;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  sentAt: string | null;
  suppressedReason: SuppressedReason | null;
  digestId: string | null;
  createdAt: string;
}

export function publicStatus(status: DeliveryStatus): PublicDeliveryStatus {
  return status === 'sending' ? 'pending' : status;
}

/** Statuses matching a public status filter (`pending` covers the internal `sending`). */
export function statusesFor(status: PublicDeliveryStatus): DeliveryStatus[] {
  return status === 'pending' ? ['pending', 'sending'] : [status];
}

export function toDeliveryView(d: Delivery): DeliveryView {
  const open = d.status === 'pending' || d.status === 'sending' || d.status === 'failed';
  return {
    id: d.id,
    eventId: d.eventId,
    eventType: d.eventType,
    channel: d.channel,
    recipientId: d.recipientId,
    webhookId: d.webhookId,
    status: publicStatus(d.status),
    attempts: d.attempts,
    lastError: d.lastError,
    nextAttemptAt: open && d.nextAttemptAt ? d.nextAttemptAt.toISOString() : null,
    sentAt: d.sentAt ? d.sentAt.toISOString() : null,
    suppressedReason: d.suppressedReason,
    digestId: d.digestId,
    createdAt: d.createdAt.toISOString(),
  };
}
