import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { MicroBatcher, newId } from '../../../kernel';
import { EventRow, eventViewFromRow } from '../../events';
import { EmailDigests, LockedDigest } from '../application/ports/email-digests.port';
import { rowsOf } from './sql-rows';

/**
 * `notifications.email_digest_settings` and `notifications.email_digests`. Opening a window is
 * serialised per user by locking the user's settings row, so two emails arriving at once join one
 * window. The settings read is batched across concurrent email attempts (one query per batch), so a
 * user with the digest off costs the email path one coalesced primary-key lookup.
 */
@Injectable()
export class PostgresEmailDigests extends EmailDigests {
  private readonly settingsBatch = new MicroBatcher<string, string>(
    async (userIds) => {
      const found = await this.readSettings(userIds);
      return userIds.map((id) => found.get(id) ?? 'off');
    },
    { maxBatch: 200, maxInFlight: 2 },
  );

  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  private async query<T = unknown>(sql: string, params: unknown[]): Promise<T[]> {
    return rowsOf<T>(await this.txHost.tx.query(sql, params));
  }

  private async readSettings(userIds: readonly string[]): Promise<Map<string, string>> {
    const rows = await this.query<{ user_id: string; email_digest: string }>(
      `SELECT user_id, email_digest FROM notifications.email_digest_settings WHERE user_id = ANY($1::uuid[])`,
      [[...new Set(userIds)]],
    );
    return new Map(rows.map((r) => [r.user_id, r.email_digest]));
  }

  async settingsOf(userIds: readonly string[]): Promise<Map<string, string>> {
    if (userIds.length === 0) return new Map();
    if (userIds.length > 1 || this.txHost.isTransactionActive()) return this.readSettings(userIds);
    return new Map([[userIds[0], await this.settingsBatch.submit(userIds[0])]]);
  }

  async saveSetting(userId: string, emailDigest: string): Promise<void> {
    await this.query(
      `INSERT INTO notifications.email_digest_settings (user_id, email_digest, updated_at) VALUES ($1, $2, now())
       ON CONFLICT (user_id) DO UPDATE SET email_digest = excluded.email_digest, updated_at = excluded.updated_at`,
      [userId, emailDigest],
    );
  }

  async hold(
    deliveryId: string,
    leaseToken: string,
    userId: string,
    windowMs: number,
  ): Promise<{ digestId: string; closesAt: Date } | null> {
    return this.txHost
      .withTransaction(async () => {
        await this.query(`SELECT 1 FROM notifications.email_digest_settings WHERE user_id = $1 FOR UPDATE`, [userId]);
        const open = await this.query<{ id: string; closes_at: Date }>(
          `SELECT id, closes_at FROM notifications.email_digests WHERE user_id = $1 AND sent_at IS NULL AND closes_at > now()
          ORDER BY closes_at DESC LIMIT 1`,
          [userId],
        );
        let window = open[0];
        if (!window) {
          const opened = await this.query<{ id: string; closes_at: Date }>(
            `INSERT INTO notifications.email_digests (id, user_id, closes_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
           RETURNING id, closes_at`,
            [newId(), userId, windowMs],
          );
          window = opened[0];
        }
        // Holding is not an attempt: the claim's increment is taken back.
        const held = await this.query(
          `UPDATE notifications.deliveries
            SET status = 'pending', attempts = attempts - 1, lease_token = NULL, digest_id = $3, next_attempt_at = $4, updated_at = now()
          WHERE id = $1 AND status = 'sending' AND lease_token = $2 RETURNING 1`,
          [deliveryId, leaseToken, window.id, window.closes_at],
        );
        if (held.length !== 1) throw new HoldLostError();
        return { digestId: window.id, closesAt: new Date(window.closes_at) };
      })
      .catch((err: unknown) => {
        if (err instanceof HoldLostError) return null;
        throw err;
      });
  }

  async lock(digestId: string): Promise<LockedDigest> {
    const windows = await this.query<{ user_id: string; closes_at: Date; sent_at: Date | null; due: boolean }>(
      `SELECT user_id, closes_at, sent_at, closes_at <= now() + interval '2 seconds' AS due
         FROM notifications.email_digests WHERE id = $1 FOR UPDATE SKIP LOCKED`,
      [digestId],
    );
    const window = windows[0];
    if (!window) {
      const exists = await this.query(`SELECT 1 FROM notifications.email_digests WHERE id = $1`, [digestId]);
      return exists.length ? { kind: 'busy' } : { kind: 'sent' };
    }
    if (window.sent_at) return { kind: 'sent' };
    if (!window.due) return { kind: 'open', closesAt: new Date(window.closes_at) };
    const rows = await this.query<{ id: string; event: EventRow }>(
      `SELECT d.id, (SELECT row_to_json(x) FROM (
                SELECT e.seq::text AS seq, e.id, e.type, e.aggregate_type, e.aggregate_id, e.actor_id, e.occurred_at, e.correlation_id,
                       e.causation_id, e.payload, e.idempotency_key, e.published_at
                  FROM events.events e WHERE e.id = d.event_id) x) AS event
         FROM notifications.deliveries d
        WHERE d.digest_id = $1 AND d.status IN ('pending', 'sending', 'failed')
        ORDER BY d.created_at, d.id`,
      [digestId],
    );
    return {
      kind: 'due',
      userId: window.user_id,
      deliveries: rows.filter((r) => r.event).map((r) => ({ id: r.id, event: eventViewFromRow(r.event) })),
    };
  }

  async markSent(digestId: string, deliveryIds: readonly string[]): Promise<number> {
    const rows = await this.query(
      `UPDATE notifications.deliveries SET status = 'sent', sent_at = now(), next_attempt_at = NULL, lease_token = NULL,
              attempts = CASE WHEN status = 'sending' THEN attempts ELSE attempts + 1 END, updated_at = now()
        WHERE digest_id = $1 AND id = ANY($2::uuid[]) AND status IN ('pending', 'sending', 'failed') RETURNING 1`,
      [digestId, [...deliveryIds]],
    );
    await this.query(`UPDATE notifications.email_digests SET sent_at = now() WHERE id = $1`, [digestId]);
    return rows.length;
  }
}

class HoldLostError extends Error {}
