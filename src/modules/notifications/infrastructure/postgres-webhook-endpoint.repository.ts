import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { WebhookEndpointPatch, WebhookEndpointRepository } from '../application/ports/webhook-endpoint.repository.port';
import { ALL_EVENTS, WebhookEndpoint } from '../domain/webhook-endpoint';
import { MicroBatcher, isUuid } from '../../../kernel';
import { rowsOf } from './sql-rows';

export interface EndpointRow {
  id: string;
  url: string;
  events: string[];
  description: string | null;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Date | string | null;
  active: boolean;
  disabled_reason: string | null;
  disabled_at: Date | string | null;
  failing_since: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export const ENDPOINT_COLUMNS =
  'id, url, events, description, secret, previous_secret, previous_secret_expires_at, active, disabled_reason, disabled_at, failing_since, created_at, updated_at';

const date = (value: Date | string | null) => (value ? new Date(value) : null);

/** A row of `notifications.webhook_endpoints` (or its row_to_json: timestamps as strings) as the domain's endpoint. */
export function toEndpoint(row: EndpointRow): WebhookEndpoint {
  return {
    id: row.id,
    url: row.url,
    events: row.events,
    description: row.description,
    secret: row.secret,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: date(row.previous_secret_expires_at),
    active: row.active,
    disabledReason: row.disabled_reason,
    disabledAt: date(row.disabled_at),
    failingSince: date(row.failing_since),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

/** Webhook endpoints in `notifications.webhook_endpoints`. */
@Injectable()
export class PostgresWebhookEndpointRepository extends WebhookEndpointRepository {
  /** Lookups by id outside a transaction (every webhook delivery makes one), one query per batch. */
  private readonly byId = new MicroBatcher<string, WebhookEndpoint | null>(async (ids) => {
    const found = await this.rows(`SELECT ${ENDPOINT_COLUMNS} FROM notifications.webhook_endpoints WHERE id = ANY($1::uuid[])`, [
      [...new Set(ids)],
    ]);
    return ids.map((id) => found.find((e) => e.id === id) ?? null);
  });

  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  private async rows(sql: string, params: unknown[]): Promise<WebhookEndpoint[]> {
    return rowsOf<EndpointRow>(await this.txHost.tx.query(sql, params)).map(toEndpoint);
  }

  async create(e: WebhookEndpoint): Promise<void> {
    await this.txHost.tx.query(
      `INSERT INTO notifications.webhook_endpoints (${ENDPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        e.id,
        e.url,
        e.events,
        e.description,
        e.secret,
        e.previousSecret,
        e.previousSecretExpiresAt,
        e.active,
        e.disabledReason,
        e.disabledAt,
        e.failingSince,
        e.createdAt,
        e.updatedAt,
      ],
    );
  }

  async findById(id: string): Promise<WebhookEndpoint | null> {
    if (!this.txHost.isTransactionActive() && isUuid(id)) return this.byId.submit(id);
    return (await this.rows(`SELECT ${ENDPOINT_COLUMNS} FROM notifications.webhook_endpoints WHERE id = $1`, [id]))[0] ?? null;
  }

  async list(limit: number, afterId: string | null): Promise<{ items: WebhookEndpoint[]; nextAfterId: string | null }> {
    const rows = await this.rows(
      `SELECT ${ENDPOINT_COLUMNS} FROM notifications.webhook_endpoints WHERE ($1::uuid IS NULL OR id > $1) ORDER BY id LIMIT $2`,
      [afterId, limit + 1],
    );
    const items = rows.slice(0, limit);
    return { items, nextAfterId: rows.length > limit ? items[items.length - 1].id : null };
  }

  async update(id: string, patch: WebhookEndpointPatch, now: Date): Promise<WebhookEndpoint | null> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.url !== undefined) set('url', patch.url);
    if (patch.events !== undefined) set('events', patch.events);
    if (patch.description !== undefined) set('description', patch.description);
    if (patch.active === true) sets.push('active = true', 'disabled_reason = NULL', 'disabled_at = NULL', 'failing_since = NULL');
    if (patch.active === false) {
      params.push(now);
      sets.push(
        'active = false',
        `disabled_reason = coalesce(disabled_reason, 'disabled by an admin')`,
        `disabled_at = coalesce(disabled_at, $${params.length})`,
      );
    }
    params.push(now);
    sets.push(`updated_at = $${params.length}`);
    return (
      (
        await this.rows(`UPDATE notifications.webhook_endpoints SET ${sets.join(', ')} WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`, params)
      )[0] ?? null
    );
  }

  async delete(id: string): Promise<boolean> {
    const rows = rowsOf(await this.txHost.tx.query(`DELETE FROM notifications.webhook_endpoints WHERE id = $1 RETURNING 1`, [id]));
    return rows.length === 1;
  }

  async rotateSecret(id: string, secret: string, previousExpiresAt: Date, now: Date): Promise<WebhookEndpoint | null> {
    const rows = await this.rows(
      `UPDATE notifications.webhook_endpoints
          SET previous_secret = secret, previous_secret_expires_at = $3, secret = $2, updated_at = $4
        WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, secret, previousExpiresAt, now],
    );
    return rows[0] ?? null;
  }

  async activeSubscribers(eventTypes: readonly string[]): Promise<WebhookEndpoint[]> {
    return this.rows(`SELECT ${ENDPOINT_COLUMNS} FROM notifications.webhook_endpoints WHERE active AND events && $1::text[] ORDER BY id`, [
      [...eventTypes, ALL_EVENTS],
    ]);
  }

  async recordFailure(id: string, now: Date): Promise<WebhookEndpoint | null> {
    const rows = await this.rows(
      `UPDATE notifications.webhook_endpoints SET failing_since = coalesce(failing_since, $2) WHERE id = $1 RETURNING ${ENDPOINT_COLUMNS}`,
      [id, now],
    );
    return rows[0] ?? null;
  }

  async recordSuccess(id: string): Promise<void> {
    await this.txHost.tx.query(
      `UPDATE notifications.webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`,
      [id],
    );
  }

  async disable(id: string, reason: string, now: Date): Promise<boolean> {
    const rows = rowsOf(
      await this.txHost.tx.query(
        `UPDATE notifications.webhook_endpoints SET active = false, disabled_reason = $2, disabled_at = $3, updated_at = $3 WHERE id = $1 AND active RETURNING 1`,
        [id, reason, now],
      ),
    );
    return rows.length === 1;
  }
}
