import { Client } from 'pg';
import { UnitOfWork, newId } from '../../src/kernel';
import { EventPublisher } from '../../src/modules/events';
import { EventBusDispatcher } from '../../src/modules/events/infrastructure/event-bus.dispatcher';
import { EventProbe, EventProbeModule, probeEvent } from '../support/fixtures/event-probe.module';
import { TestApp, eventually, startTestApp } from '../support/test-app';

/** Outbox → relay → queue → event bus, on the real database and the real queue backend. */
describe('outbox pipeline', () => {
  let t: TestApp;
  let probe: EventProbe;
  let db: Client;

  beforeAll(async () => {
    t = await startTestApp({ extraImports: [EventProbeModule], env: { OUTBOX_POLL_INTERVAL: '200ms' } });
    probe = t.running.app.get(EventProbe);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);

  it('stores nothing when the use case rolls back, and the event when it commits', async () => {
    const uow = t.running.app.get(UnitOfWork);
    const publisher = t.running.app.get(EventPublisher);
    const aggregateId = newId();
    await expect(
      uow.run(async () => {
        await publisher.publish([probeEvent(aggregateId, `rollback:${aggregateId}`)]);
        await db.query('SELECT 1');
        throw new Error('use case failed after publishing');
      }),
    ).rejects.toThrow('use case failed');
    expect(await count('SELECT count(*) AS n FROM events.events WHERE aggregate_id = $1', [aggregateId])).toBe(0);

    await probe.publish([probeEvent(aggregateId, `commit:${aggregateId}`)]);
    expect(await count('SELECT count(*) AS n FROM events.events WHERE aggregate_id = $1', [aggregateId])).toBe(1);
    await eventually(() => probe.seen.some((e) => e.aggregateId === aggregateId));
  });

  it('treats a repeated idempotency key as a no-op', async () => {
    const aggregateId = newId();
    await probe.publish([probeEvent(aggregateId, `dup:${aggregateId}`)]);
    await probe.publish([probeEvent(aggregateId, `dup:${aggregateId}`)]);
    expect(await count('SELECT count(*) AS n FROM events.events WHERE idempotency_key = $1', [`dup:${aggregateId}`])).toBe(1);
    await eventually(() => probe.seen.some((e) => e.aggregateId === aggregateId));
    await new Promise((r) => setTimeout(r, 300));
    expect(probe.seen.filter((e) => e.aggregateId === aggregateId)).toHaveLength(1);
  });

  it('retries a failing handler without re-running the handlers that already succeeded', async () => {
    const aggregateId = newId();
    probe.failuresLeft = 2;
    await probe.publish([probeEvent(aggregateId, `flaky:${aggregateId}`, 'probe.happened', { flaky: true })]);
    await eventually(() => probe.flakySeen.some((e) => e.aggregateId === aggregateId), 20_000);
    expect(probe.seen.filter((e) => e.aggregateId === aggregateId)).toHaveLength(1);
    expect(probe.flakySeen.filter((e) => e.aggregateId === aggregateId)).toHaveLength(1);
    const runs = await db.query(
      'SELECT handler FROM events.handler_runs r JOIN events.events e ON e.id = r.event_id WHERE e.aggregate_id = $1 ORDER BY handler',
      [aggregateId],
    );
    expect(runs.rows.map((r) => r.handler)).toEqual(['test.flaky', 'test.probe-recorder']);
  });

  it('gives follow-up events the correlation id of the cause and the cause as causation', async () => {
    const aggregateId = newId();
    await probe.publish([probeEvent(aggregateId, `cause:${aggregateId}`, 'probe.happened', { followUp: true })]);
    const followUp = await eventually(() => probe.seen.find((e) => e.aggregateId === aggregateId && e.type === 'probe.followed'));
    const cause = probe.seen.find((e) => e.aggregateId === aggregateId && e.type === 'probe.happened')!;
    expect(followUp.causationId).toBe(cause.id);
    expect(followUp.correlationId).toBe(cause.correlationId);
  });

  it('marks relayed events published and enqueues each once (event id = job id)', async () => {
    const aggregateId = newId();
    await probe.publish(Array.from({ length: 30 }, (_, i) => probeEvent(aggregateId, `bulk:${aggregateId}:${i}`)));
    await eventually(
      async () =>
        (await count('SELECT count(*) AS n FROM events.events WHERE aggregate_id = $1 AND published_at IS NULL', [aggregateId])) === 0,
    );
    await eventually(() => probe.seen.filter((e) => e.aggregateId === aggregateId).length === 30, 15_000);
    const ids = probe.seen.filter((e) => e.aggregateId === aggregateId).map((e) => e.id);
    expect(new Set(ids).size).toBe(30);
  });

  it('skips a handler a job says ran at the relay only where its handler_runs row exists, for many concurrent jobs at once', async () => {
    // 40 jobs at once share one batched handler_runs read: the 20 whose relay committed skip the
    // recorder, the 20 whose relay "rolled back" (no row) must run it — no job sees another's rows.
    const dispatcher = t.running.app.get(EventBusDispatcher);
    const aggregateId = newId();
    const views = Array.from({ length: 40 }, () => ({
      id: newId(),
      type: 'probe.happened',
      aggregateType: 'probe',
      aggregateId,
      actorId: null,
      occurredAt: new Date().toISOString(),
      correlationId: null,
      causationId: null,
      payload: {},
    }));
    const committed = views.filter((_, i) => i % 2 === 0);
    await db.query(`INSERT INTO events.handler_runs (event_id, handler) SELECT unnest($1::uuid[]), 'test.probe-recorder'`, [
      committed.map((v) => v.id),
    ]);
    const results = await Promise.all(views.map((v) => dispatcher.dispatch(v, { handledAtRelay: ['test.probe-recorder'] })));
    results.forEach((result, i) => {
      if (i % 2 === 0) expect(result.skipped).toContain('test.probe-recorder');
      else expect(result.ran).toContain('test.probe-recorder');
    });
    const recorded = new Set(probe.seen.filter((e) => e.aggregateId === aggregateId).map((e) => e.id));
    expect(recorded).toEqual(new Set(views.filter((_, i) => i % 2 === 1).map((v) => v.id)));
  });
});
