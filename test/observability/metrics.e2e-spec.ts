import { getQueueToken } from '@nestjs/bullmq';
import { JobType, Queue, UnrecoverableError, Worker } from 'bullmq';
import { Client } from 'pg';
import { newId } from '../../src/kernel';
import { OutboxRelay } from '../../src/modules/events/infrastructure/outbox-relay';
import { DeliveryMetrics } from '../../src/modules/notifications/infrastructure/delivery-metrics';
import { QueueMetrics } from '../../src/platform/metrics';
import { QueueBackendSettings, QueueNames } from '../../src/platform/queue';
import { EventProbe, EventProbeModule, probeEvent } from '../support/fixtures/event-probe.module';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { Scrape, find, parsePrometheusText, value } from './support/prometheus-text';

/** Counted by BullMQ's backends though missing from its JobType. */
const PAUSED = 'paused' as JobType;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** GET /metrics after a scripted scenario: every family is there, with the values the scenario implies. */
describe('Prometheus /metrics', () => {
  let t: TestApp;
  let probe: EventProbe;
  let db: Client;

  const scrape = async (): Promise<Scrape> => {
    const res = await t.http.get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return parsePrometheusText(res.text);
  };

  beforeAll(async () => {
    t = await startTestApp({ extraImports: [EventProbeModule], env: { OUTBOX_POLL_INTERVAL: '100ms', DB_POOL_SIZE: '7' } });
    probe = t.running.app.get(EventProbe);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  it('counts requests by method, route template and status, never by raw URL', async () => {
    const before = await scrape();
    const live = { method: 'GET', route: '/health/live', status: '200' };
    const byId = { method: 'GET', route: '/api/v1/events/:id', status: '401' };
    const unmatched = { method: 'GET', route: 'unmatched', status: '404' };
    const ids = Array.from({ length: 3 }, () => newId());

    for (let i = 0; i < 7; i++) expect((await t.http.get('/health/live')).status).toBe(200);
    for (const id of ids) expect((await t.http.get(`/api/v1/events/${id}`)).status).toBe(401);
    for (const id of ids) expect((await t.http.get(`/no/such/route/${id}`)).status).toBe(404);

    const after = await scrape();
    expect(value(after, 'taskwire_http_requests_total', live) - value(before, 'taskwire_http_requests_total', live)).toBe(7);
    expect(
      value(after, 'taskwire_http_request_duration_seconds_count', live) -
        value(before, 'taskwire_http_request_duration_seconds_count', live),
    ).toBe(7);
    expect(value(after, 'taskwire_http_request_duration_seconds_bucket', { ...live, le: '+Inf' })).toBe(
      value(after, 'taskwire_http_request_duration_seconds_count', live),
    );
    expect(value(after, 'taskwire_http_request_duration_seconds_sum', live)).toBeGreaterThan(0);
    expect(value(after, 'taskwire_http_requests_total', byId) - value(before, 'taskwire_http_requests_total', byId)).toBe(3);
    expect(value(after, 'taskwire_http_requests_total', unmatched) - value(before, 'taskwire_http_requests_total', unmatched)).toBe(3);
    // Bounded label values: no id ever becomes a label.
    for (const id of ids) expect(after.text).not.toContain(id);
    const labelValues = after.samples.flatMap((s) => Object.values(s.labels));
    expect(labelValues.filter((v) => UUID.test(v))).toEqual([]);
    const routes = new Set(find(after, 'taskwire_http_requests_total').map((s) => s.labels.route));
    expect([...routes].every((r) => r === 'unmatched' || r.startsWith('/'))).toBe(true);
  });

  it('counts relayed events and completed event jobs, and the outbox lag is 0 once drained', async () => {
    const before = await scrape();
    const aggregateId = newId();
    await probe.publish([
      probeEvent(aggregateId, `m:${aggregateId}:1`),
      probeEvent(aggregateId, `m:${aggregateId}:2`),
      probeEvent(aggregateId, `m:${aggregateId}:3`),
    ]);
    await probe.publish([probeEvent(aggregateId, `m:${aggregateId}:4`), probeEvent(aggregateId, `m:${aggregateId}:5`)]);
    const events = { queue: QueueNames.events };
    const after = await eventually(async () => {
      const s = await scrape();
      return value(s, 'taskwire_queue_jobs_completed_total', events) - value(before, 'taskwire_queue_jobs_completed_total', events) >= 5
        ? s
        : undefined;
    }, 20_000);
    expect(probe.seen.filter((e) => e.aggregateId === aggregateId)).toHaveLength(5);
    expect(value(after, 'taskwire_outbox_events_relayed_total') - value(before, 'taskwire_outbox_events_relayed_total')).toBe(5);
    expect(
      value(after, 'taskwire_outbox_relay_batches_total') - value(before, 'taskwire_outbox_relay_batches_total'),
    ).toBeGreaterThanOrEqual(1);
    expect(value(after, 'taskwire_queue_jobs_completed_total', events) - value(before, 'taskwire_queue_jobs_completed_total', events)).toBe(
      5,
    );
    const durations = { queue: QueueNames.events, outcome: 'completed' };
    expect(
      value(after, 'taskwire_queue_job_duration_seconds_count', durations) -
        value(before, 'taskwire_queue_job_duration_seconds_count', durations),
    ).toBe(5);
    expect(value(after, 'taskwire_outbox_lag_seconds')).toBe(0);
    expect(value(after, 'taskwire_outbox_unpublished_events')).toBe(0);
    expect(value(after, 'taskwire_outbox_relay_failures_total')).toBe(0);
  });

  it('reports the age of the oldest unpublished event while the relay is stopped', async () => {
    const relay = t.running.app.get(OutboxRelay);
    await relay.stop();
    try {
      await db.query(
        `INSERT INTO events.events (id, type, aggregate_type, aggregate_id, occurred_at, payload, idempotency_key)
         VALUES ($1, 'probe.happened', 'probe', $2, now() - interval '120 seconds', '{}', $3)`,
        [newId(), newId(), `lag:${newId()}`],
      );
      const stalled = await scrape();
      expect(value(stalled, 'taskwire_outbox_lag_seconds')).toBeGreaterThanOrEqual(120);
      expect(value(stalled, 'taskwire_outbox_lag_seconds')).toBeLessThan(180);
      expect(value(stalled, 'taskwire_outbox_unpublished_events')).toBe(1);
    } finally {
      await relay.start();
    }
    await eventually(async () => value(await scrape(), 'taskwire_outbox_lag_seconds') === 0, 15_000);
  });

  it('reports queue depth by state, and failed attempts that will be retried', async () => {
    const scrape0 = await scrape();
    const registered = t.running.app.get(QueueMetrics).queueNames;
    expect(registered).toEqual(expect.arrayContaining([QueueNames.events, QueueNames.platformSelfCheck]));
    for (const queue of registered) {
      for (const state of ['waiting', 'active', 'delayed', 'failed'])
        expect(find(scrape0, 'taskwire_queue_jobs', { queue, state })).toHaveLength(1);
    }

    // Pause the events queue: relayed jobs wait, and the gauges say so.
    const queue = t.running.app.get<Queue>(getQueueToken(QueueNames.events), { strict: false });
    expect(value(scrape0, 'taskwire_queue_paused', { queue: QueueNames.events })).toBe(0);
    await queue.pause();
    const aggregateId = newId();
    try {
      await probe.publish([
        probeEvent(aggregateId, `d:${aggregateId}:1`),
        probeEvent(aggregateId, `d:${aggregateId}:2`),
        probeEvent(aggregateId, `d:${aggregateId}:3`),
      ]);
      const waiting = async () => {
        const counts = await queue.getJobCounts('waiting', 'prioritized', PAUSED);
        return counts.waiting + counts.prioritized + (counts.paused ?? 0);
      };
      await eventually(async () => (await waiting()) >= 3, 10_000);
      const held = await scrape();
      expect(value(held, 'taskwire_queue_jobs', { queue: QueueNames.events, state: 'waiting' })).toBe(await waiting());
      expect(value(held, 'taskwire_queue_jobs', { queue: QueueNames.events, state: 'waiting' })).toBeGreaterThanOrEqual(3);
      expect(value(held, 'taskwire_queue_paused', { queue: QueueNames.events })).toBe(1);
      expect(probe.seen.filter((e) => e.aggregateId === aggregateId)).toHaveLength(0);
    } finally {
      await queue.resume();
    }
    await eventually(() => probe.seen.filter((e) => e.aggregateId === aggregateId).length === 3, 15_000);

    // One failing attempt, then success: a non-final failure is counted.
    const retrying = { queue: QueueNames.events, final: 'false' };
    const beforeFail = await scrape();
    probe.failuresLeft = 1;
    const flakyAggregate = newId();
    await probe.publish([probeEvent(flakyAggregate, `f:${flakyAggregate}`, 'probe.happened', { flaky: true })]);
    await eventually(() => probe.flakySeen.some((e) => e.aggregateId === flakyAggregate), 20_000);
    const afterFail = await scrape();
    expect(
      value(afterFail, 'taskwire_queue_jobs_failed_total', retrying) - value(beforeFail, 'taskwire_queue_jobs_failed_total', retrying),
    ).toBe(1);
    expect(value(afterFail, 'taskwire_queue_jobs_failed_total', { queue: QueueNames.events, final: 'true' })).toBe(0);
    const failedDurations = { queue: QueueNames.events, outcome: 'failed' };
    expect(
      value(afterFail, 'taskwire_queue_job_duration_seconds_count', failedDurations) -
        value(beforeFail, 'taskwire_queue_job_duration_seconds_count', failedDurations),
    ).toBe(1);
  });

  it('reports queues and workers created outside BullModule once they are handed to QueueMetrics', async () => {
    const settings = t.running.app.get(QueueBackendSettings);
    const metrics = t.running.app.get(QueueMetrics);
    const name = 'obs-handmade';
    const queue = new Queue(name, { connection: settings.connection, prefix: settings.prefix });
    const worker = new Worker(
      name,
      async (job) => {
        if (job.data.fail) throw new UnrecoverableError('refused on purpose');
        return 'done';
      },
      { connection: settings.connection, prefix: settings.prefix },
    );
    try {
      metrics.observeQueue(queue);
      metrics.observeWorker(worker);
      metrics.observeWorker(worker); // idempotent: counted once
      await queue.add('ok', {});
      await queue.add('ok', {});
      await queue.add('bad', { fail: true });
      const s = await eventually(async () => {
        const scraped = await scrape();
        const done = value(scraped, 'taskwire_queue_jobs_completed_total', { queue: name }) === 2;
        const failed = value(scraped, 'taskwire_queue_jobs_failed_total', { queue: name, final: 'true' }) === 1;
        return done && failed ? scraped : undefined;
      }, 15_000);
      expect(value(s, 'taskwire_queue_jobs', { queue: name, state: 'failed' })).toBe(1);
      expect(value(s, 'taskwire_queue_jobs_failed_total', { queue: name, final: 'false' })).toBe(0);
      expect(value(s, 'taskwire_queue_job_duration_seconds_count', { queue: name, outcome: 'completed' })).toBe(2);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
  });

  it('reports the database pool, the event loop and the process', async () => {
    const s = await scrape();
    const inUse = value(s, 'taskwire_db_pool_connections', { state: 'in_use' });
    const idle = value(s, 'taskwire_db_pool_connections', { state: 'idle' });
    expect(find(s, 'taskwire_db_pool_connections', { state: 'in_use' })).toHaveLength(1);
    expect(find(s, 'taskwire_db_pool_connections', { state: 'idle' })).toHaveLength(1);
    expect(inUse).toBeGreaterThanOrEqual(0);
    expect(idle).toBeGreaterThanOrEqual(1); // the scenario above used the pool
    expect(inUse + idle).toBeLessThanOrEqual(7);
    expect(value(s, 'taskwire_db_pool_max_connections')).toBe(7);
    expect(find(s, 'taskwire_db_pool_waiting_clients')).toHaveLength(1);
    expect(value(s, 'taskwire_db_pool_waiting_clients')).toBeGreaterThanOrEqual(0);

    expect(find(s, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);
    expect(value(s, 'nodejs_eventloop_lag_p99_seconds')).toBeGreaterThan(0);
    expect(value(s, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(value(s, 'taskwire_build_info', { version: t.running.config.version, role: 'all' })).toBe(1);
    // the registry's default label: every series says which role reported it
    expect(s.samples.every((sample) => sample.labels.role === 'all')).toBe(true);
  });

  it('reports deliveries by channel and status, and dead letters, from the ledger', async () => {
    // The Notifications context's own collectors (its ledger, its gauges). Rows in final states
    // only, so no worker or sweeper touches them.
    const before = await db.query(`SELECT count(*)::int AS n FROM notifications.deliveries WHERE status = 'dead' AND channel = 'webhook'`);
    await db.query(
      `INSERT INTO notifications.deliveries (id, event_id, event_type, channel, recipient_id, webhook_id, status)
       SELECT gen_random_uuid(), gen_random_uuid(), 'task.assigned', c, CASE WHEN c = 'webhook' THEN NULL ELSE gen_random_uuid() END,
              CASE WHEN c = 'webhook' THEN gen_random_uuid() END, st
         FROM (VALUES ('email', 'sent'), ('email', 'sent'), ('email', 'dead'), ('webhook', 'dead'), ('webhook', 'dead')) v(c, st)`,
    );
    const deliveryMetrics = t.running.app.get(DeliveryMetrics);
    deliveryMetrics.refresh();
    const s = await scrape();
    expect(value(s, 'taskwire_deliveries_dead_letters', { channel: 'webhook' })).toBe(before.rows[0].n + 2);
    const { rows } = await db.query(
      `SELECT channel::text AS channel, status::text AS status, count(*)::int AS n FROM notifications.deliveries GROUP BY 1, 2`,
    );
    for (const row of rows) expect(value(s, 'taskwire_deliveries', { channel: row.channel, status: row.status })).toBe(row.n);
    expect(find(s, 'taskwire_deliveries')).toHaveLength(rows.length);
    for (const row of rows.filter((r: { status: string }) => r.status === 'dead'))
      expect(value(s, 'taskwire_deliveries_dead_letters', { channel: row.channel })).toBe(row.n);
  });
});

describe('METRICS_TOKEN', () => {
  let t: TestApp;
  const token = 'scrape-token-0123456789';

  beforeAll(async () => {
    t = await startTestApp({ env: { METRICS_TOKEN: token } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers 401 problems without the bearer token and the metrics with it', async () => {
    const anonymous = await t.http.get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(anonymous.body).toMatchObject({ status: 401, code: 'UNAUTHORIZED', instance: '/metrics' });
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(anonymous.text).not.toContain('taskwire_');

    const wrong = await t.http.get('/metrics', { token: `${token}x` });
    expect(wrong.status).toBe(401);

    const ok = await t.http.get('/metrics', { token });
    expect(ok.status).toBe(200);
    expect(ok.text).toContain('# TYPE taskwire_http_requests_total counter');
    // the two refused scrapes were counted like any request
    expect(value(parsePrometheusText(ok.text), 'taskwire_http_requests_total', { method: 'GET', route: '/metrics', status: '401' })).toBe(
      2,
    );
  });

  it('keeps the health probes public', async () => {
    expect((await t.http.get('/health/live')).status).toBe(200);
  });
});
