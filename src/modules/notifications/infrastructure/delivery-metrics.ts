import { Injectable, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { withTimeout } from '../../../platform/metrics';

const DELIVERIES_SQL = `SELECT channel::text AS channel, status::text AS status, count(*)::int AS n FROM notifications.deliveries GROUP BY 1, 2`;
const DELIVERIES_CACHE_MS = 30_000;
const SCRAPE_QUERY_TIMEOUT_MS = 2_000;
const SAFE_LABEL = /^[a-z][a-z0-9_-]{0,31}$/;

type LedgerCounts = Array<{ channel: string; status: string; n: number }>;

/**
 * Prometheus gauges of the delivery ledger (`notifications.deliveries`) by channel and status, and
 * its dead letters by channel — the Notifications context's own collectors on the shared registry,
 * read at scrape time and cached for 30 s (a GROUP BY over the ledger is not free). Registered where
 * workers run, like the outbox metrics beside them.
 */
@Injectable()
export class DeliveryMetrics {
  private cache: { at: number; rows: LedgerCounts | null } = { at: 0, rows: null };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    /** The shared Prometheus registry (MetricsModule); absent when a test builds the module by hand. */
    @Optional() registry?: Registry,
  ) {
    if (!registry) return;
    const registers = [registry];
    const deliveries = () => this.deliveries();
    new Gauge({
      name: 'taskwire_deliveries',
      help: 'Notification deliveries in the ledger by channel and status (refreshed at most every 30 s)',
      labelNames: ['channel', 'status'],
      registers,
      async collect() {
        const rows = await deliveries();
        this.reset();
        for (const row of rows ?? []) this.inc({ channel: label(row.channel), status: label(row.status) }, row.n);
      },
    });
    new Gauge({
      name: 'taskwire_deliveries_dead_letters',
      help: 'Deliveries that gave up (status dead) and wait for a manual retry, by channel',
      labelNames: ['channel'],
      registers,
      async collect() {
        const rows = await deliveries();
        this.reset();
        if (!rows) return;
        for (const row of rows) if (row.status === 'dead') this.inc({ channel: label(row.channel) }, row.n);
      },
    });
  }

  private async deliveries(): Promise<LedgerCounts | null> {
    if (Date.now() - this.cache.at < DELIVERIES_CACHE_MS) return this.cache.rows;
    try {
      const rows = await withTimeout<LedgerCounts>(
        this.dataSource.query(DELIVERIES_SQL),
        SCRAPE_QUERY_TIMEOUT_MS,
        'metrics query timed out',
      );
      this.cache = { at: Date.now(), rows: rows.map((r) => ({ channel: r.channel, status: r.status, n: Number(r.n) })) };
    } catch {
      this.cache = { at: 0, rows: null }; // unknown: the series disappear instead of going stale
    }
    return this.cache.rows;
  }

  /** Test hook: forget the cached ledger counts so the next scrape reads them again. */
  refresh(): void {
    this.cache = { at: 0, rows: null };
  }
}

function label(value: string): string {
  return SAFE_LABEL.test(value) ? value : 'other';
}
