import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ALL_EVENTS } from '../domain/webhook-endpoint';
import { PreferenceSetting } from '../domain/notification-preferences';
import { PlanningData, PlanningReads } from '../application/ports/planning-reads.port';
import { ENDPOINT_COLUMNS, EndpointRow, toEndpoint } from './postgres-webhook-endpoint.repository';

interface PlanningRow {
  preferences: Array<{ user_id: string; channel: string; event_type: string; enabled: boolean }>;
  endpoints: EndpointRow[];
  digests: Array<{ user_id: string; email_digest: string }>;
}

/** Preferences, webhook subscribers and email digest settings in one statement (JSON aggregates): one round trip per relay batch. */
@Injectable()
export class PostgresPlanningReads extends PlanningReads {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async read(userIds: readonly string[], eventTypes: readonly string[]): Promise<PlanningData> {
    const rows: PlanningRow[] = await this.txHost.tx.query(
      `SELECT
         (SELECT coalesce(json_agg(p), '[]'::json) FROM (
            SELECT user_id, channel, event_type, enabled FROM notifications.notification_preferences WHERE user_id = ANY($1::uuid[])) p) AS preferences,
         (SELECT coalesce(json_agg(w ORDER BY w.id), '[]'::json) FROM (
            SELECT ${ENDPOINT_COLUMNS} FROM notifications.webhook_endpoints WHERE active AND events && $2::text[]) w) AS endpoints,
         (SELECT coalesce(json_agg(d), '[]'::json) FROM (
            SELECT user_id, email_digest FROM notifications.email_digest_settings WHERE user_id = ANY($1::uuid[])) d) AS digests`,
      [[...new Set(userIds)], eventTypes.length ? [...new Set(eventTypes), ALL_EVENTS] : []],
    );
    const settings = new Map<string, PreferenceSetting[]>();
    for (const row of rows[0]?.preferences ?? []) {
      const list = settings.get(row.user_id) ?? [];
      list.push({ key: row.channel, eventType: row.event_type, enabled: row.enabled });
      settings.set(row.user_id, list);
    }
    return {
      settings,
      endpoints: (rows[0]?.endpoints ?? []).map(toEndpoint),
      emailDigests: new Map((rows[0]?.digests ?? []).map((d) => [d.user_id, d.email_digest])),
    };
  }
}
