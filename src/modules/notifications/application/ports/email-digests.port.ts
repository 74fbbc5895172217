import { EventView } from '../../../events';

/** A held email delivery of a digest window, with its event (for the texts). */
export interface HeldDelivery {
  id: string;
  event: EventView;
}

/** What `lock` found: another worker is sending it, it went out already, or it is ours to send. */
export type LockedDigest =
  { kind: 'busy' } | { kind: 'sent' } | { kind: 'open'; closesAt: Date } | { kind: 'due'; userId: string; deliveries: HeldDelivery[] };

/**
 * Email digests (docs/api.md "Email digest"): each user's `emailDigest` setting, and the windows
 * (`notifications.email_digests`) that hold email deliveries until they close.
 */
export abstract class EmailDigests {
  /** "off" or the stored window text ("15m"), per user; users never set are "off". */
  abstract settingsOf(userIds: readonly string[]): Promise<Map<string, string>>;
  abstract saveSetting(userId: string, emailDigest: string): Promise<void>;
  /**
   * Holds a claimed delivery (the caller's lease) in the user's open window, opening one that closes
   * `windowMs` from now when none is open: the row goes back to `pending` with `digest_id` set and
   * `next_attempt_at` = the close, so its job (or the sweeper, after a crash) comes back then.
   * Null when the lease was lost.
   */
  abstract hold(
    deliveryId: string,
    leaseToken: string,
    userId: string,
    windowMs: number,
  ): Promise<{ digestId: string; closesAt: Date } | null>;
  /**
   * Inside a transaction: locks the window (SKIP LOCKED) and, when it has closed, returns every row it still holds
   * (without locking them: the claims of their own jobs must not wait for the SMTP send).
   */
  abstract lock(digestId: string): Promise<LockedDigest>;
  /**
   * Inside the same transaction, after the email was accepted: the rows it listed `sent` (only those:
   * a row held a moment after the list was read is not marked, and goes out on its own), the window
   * closed for good.
   */
  abstract markSent(digestId: string, deliveryIds: readonly string[]): Promise<number>;
}
