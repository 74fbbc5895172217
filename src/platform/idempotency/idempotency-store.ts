import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { IdempotencySettings } from './idempotency.settings';

/** A response as it is replayed: status, the headers worth repeating, and the JSON body. */
export interface StoredResponse {
  status: number;
  /** Lower-case header names (`location`, `etag`, `content-type`). */
  headers: Record<string, string>;
  /** The body as JSON text; null when the response had none. */
  body: string | null;
}

export interface ClaimRequest {
  userId: string;
  key: string;
  method: string;
  path: string;
  fingerprint: string;
}

export type ClaimOutcome =
  { kind: 'claimed'; token: string } | { kind: 'completed'; response: StoredResponse } | { kind: 'in_progress' } | { kind: 'mismatch' };

interface KeyRow {
  status: string;
  fingerprint: string;
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: string | null;
  expired: boolean;
}

/** `query()` answers `[rows, count]` for UPDATE/DELETE and `rows` otherwise (TypeORM on pg). */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

const MAX_CLAIM_ATTEMPTS = 3;

/**
 * `platform.idempotency_keys`, one row per (user, key). Claims and releases are short statements
 * committed on their own (straight on the DataSource, never the ambient transaction); locking and
 * completing a claim happen inside the handler's transaction (`TransactionHost.tx`), so the use
 * case's writes and the stored response commit together or not at all.
 *
 * All times are the database's `now()`, so several processes agree on leases and expiry.
 */
@Injectable()
export class IdempotencyStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly settings: IdempotencySettings,
  ) {}

  /**
   * Claims the key for this request, or reports why not. A fresh key is inserted as `in_progress`
   * (committed at once, so a concurrent duplicate sees it). An existing row may be taken over when
   * its 24 h have passed, or when it is an unfinished claim of the same request whose lease has
   * expired and that no live transaction holds (the process that owned it died).
   */
  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt++) {
      const token = randomUUID();
      const params = [
        request.userId,
        request.key,
        request.method,
        request.path,
        request.fingerprint,
        token,
        this.settings.leaseMs,
        this.settings.retentionMs,
      ];
      const inserted = rowsOf(
        await this.dataSource.query(
          `INSERT INTO platform.idempotency_keys
             (user_id, key, method, path, fingerprint, status, lock_token, locked_until, expires_at)
           VALUES ($1, $2, $3, $4, $5, 'in_progress', $6,
                   now() + $7::float8 * interval '1 millisecond', now() + $8::float8 * interval '1 millisecond')
           ON CONFLICT (user_id, key) DO NOTHING
           RETURNING 1 AS claimed`,
          params,
        ),
      );
      if (inserted.length) return { kind: 'claimed', token };

      // SKIP LOCKED: a row held by a running request (or by another retry taking it over) is not
      // taken; the conditions are re-checked on the locked row, so only one retry wins.
      const taken = rowsOf(
        await this.dataSource.query(
          `WITH candidate AS (
             SELECT user_id, key FROM platform.idempotency_keys
              WHERE user_id = $1 AND key = $2
                AND (expires_at <= now()
                     OR (status = 'in_progress' AND locked_until <= now() AND fingerprint = $5))
              FOR UPDATE SKIP LOCKED)
           UPDATE platform.idempotency_keys k
              SET method = $3, path = $4, fingerprint = $5, status = 'in_progress', lock_token = $6,
                  locked_until = now() + $7::float8 * interval '1 millisecond',
                  expires_at = now() + $8::float8 * interval '1 millisecond', created_at = now(),
                  response_status = NULL, response_headers = NULL, response_body = NULL
             FROM candidate
            WHERE k.user_id = candidate.user_id AND k.key = candidate.key
           RETURNING 1 AS claimed`,
          params,
        ),
      );
      if (taken.length) return { kind: 'claimed', token };

      const [row] = rowsOf<KeyRow>(
        await this.dataSource.query(
          `SELECT status, fingerprint, response_status, response_headers, response_body, expires_at <= now() AS expired
             FROM platform.idempotency_keys WHERE user_id = $1 AND key = $2`,
          [request.userId, request.key],
        ),
      );
      // Gone (a failed attempt released it) or expired but being taken over: try again.
      if (!row || row.expired) continue;
      if (row.fingerprint !== request.fingerprint) return { kind: 'mismatch' };
      if (row.status === 'completed' && row.response_status !== null) {
        return {
          kind: 'completed',
          response: { status: row.response_status, headers: row.response_headers ?? {}, body: row.response_body },
        };
      }
      return { kind: 'in_progress' };
    }
    return { kind: 'in_progress' };
  }

  /**
   * Inside the handler's transaction: locks our claim row for the rest of the transaction, so no
   * retry can take it over while we run. False when the claim is no longer ours.
   */
  async lockClaim(userId: string, key: string, token: string): Promise<boolean> {
    const rows = rowsOf(
      await this.txHost.tx.query(
        `SELECT 1 AS mine FROM platform.idempotency_keys
          WHERE user_id = $1 AND key = $2 AND lock_token = $3 AND status = 'in_progress'
          FOR UPDATE`,
        [userId, key, token],
      ),
    );
    return rows.length === 1;
  }

  /**
   * Records the response of our claim. Called inside the handler's transaction on success (so it
   * commits with the use case's writes), or on its own after a rollback for a replayable 4xx.
   * False when the claim is no longer ours (nothing is written then).
   */
  async complete(userId: string, key: string, token: string, response: StoredResponse, inAmbientTransaction: boolean): Promise<boolean> {
    const runner = inAmbientTransaction ? this.txHost.tx : this.dataSource;
    const rows = rowsOf(
      await runner.query(
        `UPDATE platform.idempotency_keys
            SET status = 'completed', lock_token = NULL, locked_until = now(),
                response_status = $4, response_headers = $5::jsonb, response_body = $6
          WHERE user_id = $1 AND key = $2 AND lock_token = $3 AND status = 'in_progress'
          RETURNING 1 AS done`,
        [userId, key, token, response.status, JSON.stringify(response.headers), response.body],
      ),
    );
    return rows.length === 1;
  }

  /** Forgets our claim (the request failed in a way worth retrying). */
  async release(userId: string, key: string, token: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM platform.idempotency_keys WHERE user_id = $1 AND key = $2 AND lock_token = $3`, [
      userId,
      key,
      token,
    ]);
  }

  /** Deletes keys whose 24 h have passed, in batches; returns how many. */
  async deleteExpired(batchSize = 5000): Promise<number> {
    let total = 0;
    for (;;) {
      const [, count] = (await this.dataSource.query(
        `DELETE FROM platform.idempotency_keys
          WHERE ctid IN (SELECT ctid FROM platform.idempotency_keys
                          WHERE expires_at <= now() LIMIT $1 FOR UPDATE SKIP LOCKED)`,
        [batchSize],
      )) as [unknown[], number];
      total += count;
      if (count < batchSize) return total;
    }
  }
}
