import { SpanKind, context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { TracingHandle, tracingEnabled } from '../../src/platform/tracing';
import { startTracing } from '../../src/platform/tracing/tracing-sdk';
import { ROOT } from '../support/process-runner';
import { newId } from '../../src/kernel';
import { EventProbe, EventProbeModule, probeEvent } from '../support/fixtures/event-probe.module';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { OtlpReceiver } from './support/otlp-receiver';
import { SpawnedApp, privateBuild, removeBuild, spawnApp } from './support/spawned-app';
import { TraceProbeModule } from './support/trace-probe.module';

/** Span kinds as OTLP encodes them (the API's SpanKind + 1). */
const OTLP_SERVER = 2;
const OTLP_CONSUMER = 5;

/**
 * Trace context flows from the request through the outbox row into the job: the job's span is a
 * child of the span that appended the event, so HTTP, SQL and job spans share one trace id.
 */
describe('tracing', () => {
  let build: string;
  beforeAll(() => {
    build = privateBuild();
  });
  afterAll(() => removeBuild(build));

  describe('off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
    it('loads neither the SDK nor any instrumentation', () => {
      const probe = (env: Record<string, string>) =>
        execFileSync(
          process.execPath,
          [
            '-e',
            `require(process.argv[1] + '/src/platform/tracing/register'); require(process.argv[1] + '/src/bootstrap');
             const loaded = Object.keys(require.cache).filter((f) => /@opentelemetry[\\\\/](sdk-node|instrumentation)/.test(f));
             process.stdout.write(String(loaded.length));`,
            build,
          ],
          { cwd: ROOT, env: { PATH: process.env.PATH, ...env } },
        ).toString();
      expect(Number(probe({}))).toBe(0);
      expect(Number(probe({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }))).toBeGreaterThan(0);
    });

    it('stores no trace context on events and adds nothing to the job data', async () => {
      const t = await startTestApp({ extraImports: [TraceProbeModule, EventProbeModule], env: { OUTBOX_POLL_INTERVAL: '100ms' } });
      try {
        expect(tracingEnabled()).toBe(false);
        const res = await t.http.post('/api/v1/test-trace');
        expect(res.status).toBe(202);
        const probe = t.running.app.get(EventProbe);
        const seen = await eventually(() => probe.seen.find((e) => e.aggregateId === res.body.aggregateId));
        expect(seen).not.toHaveProperty('traceContext');
        const db = new Client({ connectionString: t.databaseUrl });
        await db.connect();
        const { rows } = await db.query('SELECT trace_context FROM events.events WHERE aggregate_id = $1', [res.body.aggregateId]);
        await db.end();
        expect(rows.length).toBeGreaterThanOrEqual(1);
        expect(rows.every((r) => r.trace_context === null)).toBe(true);
      } finally {
        await t.close();
      }
    });
  });

  describe('on, in process (in-memory exporter)', () => {
    const exporter = new InMemorySpanExporter();
    let tracing: TracingHandle | null;
    let t: TestApp;

    beforeAll(async () => {
      tracing = startTracing(
        { ...process.env, OTEL_SERVICE_NAME: 'taskwire-test' },
        { force: true, spanProcessors: [new SimpleSpanProcessor(exporter)] },
      );
      t = await startTestApp({ extraImports: [EventProbeModule], env: { OUTBOX_POLL_INTERVAL: '100ms' } });
    });
    afterAll(async () => {
      await t?.close();
      await tracing?.shutdown();
      // leave no global tracer, context manager or propagator behind for the next test file
      trace.disable();
      context.disable();
      propagation.disable();
    });

    it('continues the trace of the publishing span in the job, and in the job of the follow-up event', async () => {
      expect(tracingEnabled()).toBe(true);
      const probe = t.running.app.get(EventProbe);
      const aggregateId = newId();
      // A use case inside a traced request: publish through EventPublisher in UnitOfWork.run.
      const { traceId, spanId } = await trace
        .getTracer('test')
        .startActiveSpan('POST /api/v1/things', { kind: SpanKind.SERVER }, async (span) => {
          await probe.publish([probeEvent(aggregateId, `trace:${aggregateId}`, 'probe.happened', { followUp: true })]);
          span.end();
          return span.spanContext();
        });
      await eventually(() => probe.seen.some((e) => e.aggregateId === aggregateId && e.type === 'probe.followed'), 15_000);

      const jobSpans = await eventually(() => {
        const spans = exporter.getFinishedSpans().filter((s) => s.name === 'process events' && s.attributes['taskwire.event.type']);
        const mine = spans.filter((s) => s.spanContext().traceId === traceId);
        return mine.length >= 2 ? mine : undefined;
      }, 15_000);
      const byType = (type: string) => jobSpans.find((s) => s.attributes['taskwire.event.type'] === type) as ReadableSpan;
      const first = byType('probe.happened');
      const followUp = byType('probe.followed');
      expect(first.kind).toBe(SpanKind.CONSUMER);
      expect(first.attributes).toMatchObject({ 'messaging.system': 'bullmq', 'messaging.destination.name': 'events' });
      expect(first.attributes['messaging.message.id']).toBe(first.attributes['taskwire.event.id']);
      // The request's span appended the first event...
      expect(first.parentSpanContext?.spanId).toBe(spanId);
      // ...and the first job's span appended the follow-up event.
      expect(followUp.parentSpanContext?.spanId).toBe(first.spanContext().spanId);

      const db = new Client({ connectionString: t.databaseUrl });
      await db.connect();
      const { rows } = await db.query('SELECT type, trace_context FROM events.events WHERE aggregate_id = $1 ORDER BY seq', [aggregateId]);
      await db.end();
      expect(rows.map((r) => r.type)).toEqual(['probe.happened', 'probe.followed']);
      for (const row of rows) expect(row.trace_context.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
      // handlers never see the carrier
      expect(probe.seen.filter((e) => e.aggregateId === aggregateId).every((e) => !('traceContext' in e))).toBe(true);
    });
  });

  describe('on, real process exporting OTLP', () => {
    const receiver = new OtlpReceiver();
    let app: SpawnedApp;

    beforeAll(async () => {
      const endpoint = await receiver.start();
      app = await spawnApp(build, {
        OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_SERVICE_NAME: 'taskwire-e2e',
        LOG_LEVEL: 'warn',
      });
    });
    afterAll(async () => {
      await app?.stop();
      await receiver.stop();
    });

    const post = async (path: string, body: unknown, token?: string) => {
      const res = await fetch(`${app.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };

    /** The trace of the server span of `method route`, once its job span has arrived too. */
    const traceOf = (route: string, eventType: string) =>
      eventually(() => {
        for (const server of receiver.spans.filter((s) => s.kind === OTLP_SERVER && s.attributes['http.route'] === route)) {
          const spans = receiver.spans.filter((s) => s.traceId === server.traceId);
          const job = spans.find((s) => s.name === 'process events' && s.attributes['taskwire.event.type'] === eventType);
          if (job) return { server, job, spans };
        }
        return undefined;
      }, 20_000);

    it('a trace of POST /api/v1/tasks holds the HTTP, SQL and job spans under one trace id', async () => {
      const email = `trace-${randomBytes(5).toString('hex')}@taskwire.test`;
      const registered = await post('/api/v1/auth/register', { email, password: 'trace-password-1', name: 'Tracer' });
      expect(registered.status).toBe(201);
      const created = await post('/api/v1/tasks', { title: 'Traced task' }, registered.body.accessToken);
      expect(created.status).toBe(201);

      const { server, job, spans } = await traceOf('/api/v1/tasks', 'task.created');
      expect(server.name).toBe('POST /api/v1/tasks');
      expect(server.service).toBe('taskwire-e2e');
      const sql = spans.filter((s) => s.attributes['db.system'] === 'postgresql' || s.attributes['db.system.name'] === 'postgresql');
      expect(sql.length).toBeGreaterThan(0);
      expect(
        sql.some((s) => /INSERT INTO events\.events/.test(String(s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? ''))),
      ).toBe(true);
      expect(job.kind).toBe(OTLP_CONSUMER);
      expect(job.parentSpanId).toBe(server.spanId); // the request's span appended the event
      expect(job.attributes['taskwire.event.id']).toBe(job.attributes['messaging.message.id']);
      // every span of the trace hangs off the request
      const ids = new Set(spans.map((s) => s.spanId));
      for (const span of spans) if (span !== server) expect(ids.has(span.parentSpanId!)).toBe(true);
    });

    it('does not trace probes and scrapes', async () => {
      await fetch(`${app.baseUrl}/health/live`);
      await fetch(`${app.baseUrl}/metrics`);
      await new Promise((r) => setTimeout(r, 500));
      expect(
        receiver.spans.filter((s) =>
          /health|metrics/.test(String(s.attributes['http.route'] ?? s.attributes['http.target'] ?? s.attributes['url.path'] ?? s.name)),
        ),
      ).toEqual([]);
    });
  });
});
