import { Counter, Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { withTimeout } from '../../../platform/metrics';

/** Age of the oldest unpublished event, and how many wait (capped: the count is for dashboards). */
const OUTBOX_BACKLOG_SQL = `
  SELECT greatest(coalesce(extract(epoch FROM now() - min(occurred_at)), 0), 0)::float8 AS lag_seconds,
         (SELECT count(*) FROM (SELECT 1 FROM events.events WHERE published_at IS NULL LIMIT 100000) capped)::int AS waiting
    FROM events.events WHERE published_at IS NULL`;
const SCRAPE_QUERY_TIMEOUT_MS = 2_000;

/**
 * Prometheus collectors of the outbox: relay throughput (counted by the relay) and, read from
 * `events.events` at scrape time, outbox lag and backlog. Registered once per registry (a second
 * relay in the same process shares them). The delivery ledger's gauges are the Notifications
 * context's own (notifications/infrastructure/delivery-metrics.ts).
 */
export class OutboxMetrics {
  readonly relayed: Counter;
  readonly batches: Counter;
  readonly failures: Counter;

  private static readonly byRegistry = new WeakMap<Registry, OutboxMetrics>();

  static on(registry: Registry, dataSource: DataSource): OutboxMetrics {
    let metrics = OutboxMetrics.byRegistry.get(registry);
    if (!metrics) {
      metrics = new OutboxMetrics(registry, dataSource);
      OutboxMetrics.byRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private constructor(
    registry: Registry,
    private readonly dataSource: DataSource,
  ) {
    const registers = [registry];
    this.relayed = new Counter({
      name: 'taskwire_outbox_events_relayed_total',
      help: 'Events moved from the outbox to the events queue',
      registers,
    });
    this.batches = new Counter({
      name: 'taskwire_outbox_relay_batches_total',
      help: 'Relay batches committed (claim, enqueue, mark published)',
      registers,
    });
    this.failures = new Counter({
      name: 'taskwire_outbox_relay_failures_total',
      help: 'Relay batches that failed and were retried (queue backend or database down)',
      registers,
    });
    const backlog = () => this.backlog();
    new Gauge({
      name: 'taskwire_outbox_lag_seconds',
      help: 'Age in seconds of the oldest unpublished event in the outbox (0 when drained)',
      registers,
      async collect() {
        const current = await backlog();
        if (current) this.set(current.lagSeconds);
        else this.reset();
      },
    });
    new Gauge({
      name: 'taskwire_outbox_unpublished_events',
      help: 'Events waiting in the outbox (counted up to 100000)',
      registers,
      async collect() {
        const current = await backlog();
        if (current) this.set(current.waiting);
        else this.reset();
      },
    });
  }

  private backlogRead: Promise<{ lagSeconds: number; waiting: number } | null> | null = null;

  /** One query per scrape for both outbox gauges; null when the database does not answer. */
  private backlog(): Promise<{ lagSeconds: number; waiting: number } | null> {
    this.backlogRead ??= withTimeout(this.dataSource.query(OUTBOX_BACKLOG_SQL), SCRAPE_QUERY_TIMEOUT_MS, 'metrics query timed out')
      .then((rows: Array<{ lag_seconds: number; waiting: number }>) => ({
        lagSeconds: Number(rows[0]?.lag_seconds ?? 0),
        waiting: Number(rows[0]?.waiting ?? 0),
      }))
      .catch(() => null)
      .finally(() => setImmediate(() => (this.backlogRead = null)));
    return this.backlogRead;
  }
}
