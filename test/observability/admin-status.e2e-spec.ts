import { UnitOfWork, newId } from '../../src/kernel';
import { EventPublisher } from '../../src/modules/events';
import { OutboxRelay } from '../../src/modules/events/infrastructure/outbox-relay';
import { apiAs, describeWithApp } from '../support/api';
import { createUser } from '../support/auth-fixtures';
import { eventually } from '../support/test-app';

/**
 * The status body as the server sends it. The OpenAPI document types `admin.getStatus` 200 as an
 * empty object (no schema on the controller), so the typed client needs this narrow cast.
 */
interface AdminStatus {
  version: string;
  versionsRunning: string[];
  queueBackend: string;
  queues: Record<string, { waiting: number; active: number; failed: number }>;
  deadLetters: number;
  workersAlive: number;
  processes: { pid: number; alive: boolean }[];
  outbox: { unpublished: number; oldestUnpublishedAgeSeconds: number | null };
}

describeWithApp('GET /api/v1/admin/status', {}, (ctx) => {
  it('sums up queues, outbox lag, dead letters, processes and versions for admins', async () => {
    const { data, response } = await apiAs(ctx.t, ctx.admin).GET('/api/v1/admin/status');
    expect(response.status).toBe(200);
    const body = data as AdminStatus | undefined;
    expect(body!.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body!.versionsRunning).toContain(body!.version);
    expect(body!.queueBackend).toBe(process.env.REDIS_URL ? 'redis' : 'postgres');
    expect(body!.queues.events).toMatchObject({ waiting: expect.any(Number), active: expect.any(Number), failed: expect.any(Number) });
    expect(body!.deadLetters).toBe(0);
    expect(body!.workersAlive).toBeGreaterThanOrEqual(1);
    expect(body!.processes.some((p) => p.pid === process.pid && p.alive)).toBe(true);
  });

  it('reports outbox lag while events wait and none once drained', async () => {
    const { t, admin } = ctx;
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
    const api = apiAs(t, admin);
    const waiting = (await api.GET('/api/v1/admin/status')).data as AdminStatus;
    expect(waiting.outbox.unpublished).toBe(1);
    expect(waiting.outbox.oldestUnpublishedAgeSeconds).toBeGreaterThanOrEqual(4);
    await relay.start();
    await eventually(async () => ((await api.GET('/api/v1/admin/status')).data as AdminStatus).outbox.unpublished === 0);
  });

  it('is for admins only', async () => {
    const manager = await createUser(ctx.t, 'manager');
    expect((await apiAs(ctx.t, manager).GET('/api/v1/admin/status')).response.status).toBe(403);
    expect((await apiAs(ctx.t).GET('/api/v1/admin/status')).response.status).toBe(401);
  });
});
