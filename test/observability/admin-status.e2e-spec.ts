import { UnitOfWork, newId } from '../../src/kernel';
import { EventPublisher } from '../../src/modules/events';
import { OutboxRelay } from '../../src/modules/events/infrastructure/outbox-relay';
import { adminSession, createUser } from '../support/auth-fixtures';
import { TestApp, eventually, startTestApp } from '../support/test-app';

describe('GET /api/v1/admin/status', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  it('sums up queues, outbox lag, dead letters, processes and versions for admins', async () => {
    const admin = await adminSession(t);
    const res = await t.http.get('/api/v1/admin/status', { token: admin.accessToken });
    expect(res.status).toBe(200);
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.body.versionsRunning).toContain(res.body.version);
    expect(res.body.queueBackend).toBe(process.env.REDIS_URL ? 'redis' : 'postgres');
    expect(res.body.queues.events).toMatchObject({ waiting: expect.any(Number), active: expect.any(Number), failed: expect.any(Number) });
    expect(res.body.deadLetters).toBe(0);
    expect(res.body.workersAlive).toBeGreaterThanOrEqual(1);
    expect(res.body.processes.some((p: { pid: number; alive: boolean }) => p.pid === process.pid && p.alive)).toBe(true);
  });

  it('reports outbox lag while events wait and none once drained', async () => {
    const admin = await adminSession(t);
    const relay = t.running.app.get(OutboxRelay);
    await relay.stop();
    const uow = t.running.app.get(UnitOfWork);
    const publisher = t.running.app.get(EventPublisher);
    const id = newId();
    await uow.run(() =>
      publisher.publish([
        {
          id: newId(),
          type: 'probe.waiting',
          aggregateType: 'probe',
          aggregateId: id,
          actorId: null,
          occurredAt: new Date(Date.now() - 5000),
          payload: {},
          idempotencyKey: `status:${id}`,
        },
      ]),
    );
    const waiting = await t.http.get('/api/v1/admin/status', { token: admin.accessToken });
    expect(waiting.body.outbox.unpublished).toBe(1);
    expect(waiting.body.outbox.oldestUnpublishedAgeSeconds).toBeGreaterThanOrEqual(4);
    await relay.start();
    await eventually(async () => (await t.http.get('/api/v1/admin/status', { token: admin.accessToken })).body.outbox.unpublished === 0);
  });

  it('is for admins only', async () => {
    const manager = await createUser(t, 'manager');
    expect((await t.http.get('/api/v1/admin/status', { token: manager.accessToken })).status).toBe(403);
    expect((await t.http.get('/api/v1/admin/status')).status).toBe(401);
  });
});
