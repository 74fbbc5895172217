import { DeliveryLedger } from '../../src/modules/notifications/application/ports/delivery-ledger.port';
import { DeliveryQueues, batchJobId } from '../../src/modules/notifications/infrastructure/delivery-queues';
import { DeliveryWorkers } from '../../src/modules/notifications/infrastructure/delivery.processor';
import { QueueNames } from '../../src/platform/queue';
import { apiAs } from '../support/api';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { HttpReceiver, startHttpReceiver } from '../support/http-receiver';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { createTask, deliveriesOf, eventIdOf } from './notification-helpers';

/**
 * Throughput settings and the batched delivery path, end to end: NOTIFY_CONCURRENCY bounds how many
 * sends a worker process runs at once, and many deliveries processed together (their claims,
 * outcomes and lookups share statements) are still each sent exactly once.
 */
describe('delivery concurrency (NOTIFY_CONCURRENCY=3)', () => {
  let t: TestApp;
  let receiver: HttpReceiver;
  let admin: Session;

  beforeAll(async () => {
    receiver = await startHttpReceiver();
    t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: 'true', NOTIFY_CONCURRENCY: '3', NOTIFY_RETRY_SCHEDULE: '1s' } });
    admin = await adminSession(t);
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
  });

  it('runs at most NOTIFY_CONCURRENCY webhook sends at once, and all of them in the end', async () => {
    let answered = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    receiver.answer = async (request) => {
      if (request.path === '/held') await gate;
      answered += 1;
      return { status: 204 };
    };
    const inFlight = () => receiver.requests.filter((r) => r.path === '/held').length - answered;
    const created = await apiAs(t, admin).POST('/api/v1/webhooks', { body: { url: `${receiver.url}/held`, events: ['task.created'] } });
    expect(created.response.status).toBe(201);

    const tasks = await Promise.all(Array.from({ length: 8 }, (_, i) => createTask(t, admin.accessToken, { title: `held ${i}` })));
    await eventually(() => inFlight() === 3, 15_000);
    await new Promise((r) => setTimeout(r, 500)); // more are due, but no fourth send starts
    expect(inFlight()).toBe(3);

    release();
    await eventually(() => receiver.requests.filter((r) => r.path === '/held').length === 8, 15_000);
    for (const task of tasks) {
      const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.created');
      const rows = await eventually(async () => {
        const all = await deliveriesOf(t, admin.accessToken, eventId);
        return all.length === 1 && all[0].status === 'sent' ? all : undefined;
      });
      expect(rows[0]).toMatchObject({ channel: 'webhook', attempts: 1 });
    }
    const ids = receiver.requests.filter((r) => r.path === '/held').map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(8);
  });

  it('sends each of many deliveries processed together exactly once, over every channel', async () => {
    receiver.answer = () => ({ status: 204 });
    const member = await createUser(t, 'member');
    const created = await apiAs(t, admin).POST('/api/v1/webhooks', { body: { url: `${receiver.url}/many`, events: ['task.assigned'] } });
    expect(created.response.status).toBe(201);
    const tasks = await Promise.all(
      Array.from({ length: 30 }, (_, i) => createTask(t, admin.accessToken, { title: `many ${i}`, assigneeId: member.id })),
    );

    await eventually(() => receiver.requests.filter((r) => r.path === '/many').length >= 30, 30_000);
    const inbox = await eventually(async () => {
      const { data } = await apiAs(t, member).GET('/api/v1/notifications', { params: { query: { limit: 100 } } });
      return data!.data.length >= 30 ? data!.data : undefined;
    }, 30_000);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive by now
    const hooks = receiver.requests.filter((r) => r.path === '/many');
    expect(hooks).toHaveLength(30);
    expect(new Set(hooks.map((r) => r.headers['webhook-id'])).size).toBe(30);
    expect(new Set(hooks.map((r) => (JSON.parse(r.body) as { data: { aggregateId: string } }).data.aggregateId))).toEqual(
      new Set(tasks.map((x) => x.id)),
    );
    expect(
      inbox
        .filter((n) => n.type === 'task.assigned')
        .map((n) => n.taskId)
        .sort(),
    ).toEqual(tasks.map((x) => x.id).sort());

    // One ledger row per (channel, recipient) of each event, each sent on its first attempt.
    for (const task of tasks.slice(0, 5)) {
      const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
      const rows = await eventually(async () => {
        const all = await deliveriesOf(t, admin.accessToken, eventId);
        return all.length === 3 && all.every((r) => r.status === 'sent') ? all : undefined;
      });
      expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'in_app', 'webhook']);
      expect(rows.every((r) => r.attempts === 1)).toBe(true);
    }
  });

  it('attempts rows it just recorded in its own process when the queue has room for them all (no job), and queues them otherwise', async () => {
    receiver.answer = () => ({ status: 204 });
    for (let i = 0; i < 4; i++) {
      const created = await apiAs(t, admin).POST('/api/v1/webhooks', {
        body: { url: `${receiver.url}/room-${i}`, events: ['task.created'] },
      });
      expect(created.response.status).toBe(201);
    }
    const lone = await apiAs(t, admin).POST('/api/v1/webhooks', { body: { url: `${receiver.url}/room-lone`, events: ['task.updated'] } });
    expect(lone.response.status).toBe(201);
    const settledWebhooks = async (taskId: string, type: string, count: number) => {
      const eventId = await eventIdOf(t, admin.accessToken, taskId, type);
      return eventually(async () => {
        const hooks = (await deliveriesOf(t, admin.accessToken, eventId)).filter((r) => r.channel === 'webhook');
        return hooks.length >= count && hooks.every((r) => r.status === 'sent') ? hooks : undefined;
      }, 30_000);
    };
    // task.created: more webhook rows (4 here, with any endpoint an earlier test left) than the 3 sends
    // the webhooks queue runs at once — queued.
    const task = await createTask(t, admin.accessToken, { title: 'room' });
    const createdRows = await settledWebhooks(task.id, 'task.created', 4);
    // task.updated, once those are done: one row — attempted here.
    const updated = await apiAs(t, admin).PATCH('/api/v1/tasks/{id}', {
      params: { path: { id: task.id } },
      body: { title: 'room, renamed' },
    });
    expect(updated.response.status).toBe(200);
    const updatedRows = await settledWebhooks(task.id, 'task.updated', 1);
    expect([...createdRows, ...updatedRows].every((r) => r.attempts === 1)).toBe(true);

    const webhooks = t.running.app.get(DeliveryQueues, { strict: false }).queue(QueueNames.webhooks);
    const jobs = await webhooks.getJobs(['completed', 'active', 'waiting'], 0, 2000);
    const queued = new Set(jobs.flatMap((j) => j?.data?.deliveryIds ?? (j?.data?.deliveryId ? [j.data.deliveryId] : [])));
    expect(createdRows.every((r) => queued.has(r.id))).toBe(true);
    expect(updatedRows.some((r) => queued.has(r.id))).toBe(false);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive by now
    const lonely = receiver.requests.filter((r) => r.path === '/room-lone');
    expect(lonely.map((r) => r.headers['webhook-id'])).toEqual([updatedRows[0].id]);
  });

  it('claims and settles deliveries in shared statements, each row on its own terms (one claim wins, only its lease settles)', async () => {
    const ledger = t.running.app.get(DeliveryLedger, { strict: false });
    const member = await createUser(t, 'member');
    const task = await createTask(t, admin.accessToken, { title: 'claims' });
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.created');
    const planned = [admin.id, member.id].map((recipientId) => ({
      channel: 'in_app',
      recipientId,
      webhookId: null,
      status: 'pending' as const,
      suppressedReason: null,
    }));
    const [a, b] = await ledger.record({ id: eventId, type: 'task.created' }, planned);

    // Five jobs claim `a` at once, two claim `b`: they go out together, and each row is claimed once.
    const claims = await Promise.all([a, a, a, b, a, b, a].map((d) => ledger.claim(d.id, 30_000)));
    const won = claims.filter((c) => c !== null);
    expect(won.map((c) => c!.delivery.id).sort()).toEqual([a.id, b.id].sort());
    expect(won.every((c) => c!.delivery.status === 'sending' && c!.delivery.attempts === 1 && c!.event.id === eventId)).toBe(true);
    const [leaseA, leaseB] = [a, b].map((d) => won.find((c) => c!.delivery.id === d.id)!.leaseToken);

    // Outcomes of several deliveries in one statement: a stale lease does not settle anything.
    const results = await Promise.all([ledger.markSent(a.id, leaseB), ledger.markSent(b.id, leaseB), ledger.markSent(a.id, leaseA)]);
    expect(results).toEqual([false, true, true]);
    const rows = await deliveriesOf(t, admin.accessToken, eventId);
    expect(rows.filter((r) => r.id === a.id || r.id === b.id).map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(await ledger.claim(a.id, 30_000)).toBeNull(); // sent: nothing left to claim
  });

  it('carries deliveries planned together in batch jobs (NOTIFY_JOB_BATCH, 10); one that fails goes on in a job of its own', async () => {
    // 12 webhook rows enqueued at once: a job of 10 and a job of 2. The endpoint only subscribes to
    // task.cancelled, so the real pipeline plans nothing for it — these 12 rows are the only sends.
    const ledger = t.running.app.get(DeliveryLedger, { strict: false });
    const queues = t.running.app.get(DeliveryQueues, { strict: false });
    const created = await apiAs(t, admin).POST('/api/v1/webhooks', {
      body: { url: `${receiver.url}/batched`, events: ['task.cancelled'] },
    });
    expect(created.response.status).toBe(201);
    const webhookId = created.data!.id;
    const tasks = await Promise.all(Array.from({ length: 12 }, (_, i) => createTask(t, admin.accessToken, { title: `batched ${i}` })));
    const rows: Awaited<ReturnType<DeliveryLedger['record']>> = [];
    for (const task of tasks) {
      const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.created');
      const [row] = await ledger.record({ id: eventId, type: 'task.created' }, [
        { channel: 'webhook', recipientId: null, webhookId, status: 'pending', suppressedReason: null },
      ]);
      rows.push(row);
    }
    const failing = rows[3].id;
    let failedOnce = false;
    receiver.answer = (request) => {
      if (request.path === '/batched' && request.headers['webhook-id'] === failing && !failedOnce) {
        failedOnce = true;
        return { status: 503 };
      }
      return { status: 204 };
    };

    await queues.enqueue(rows.map((r) => ({ id: r.id, channel: 'webhook' })));
    const webhooks = queues.queue(QueueNames.webhooks);
    const settled = await eventually(async () => {
      const all = await Promise.all(rows.map((r) => ledger.find(r.id)));
      return all.every((r) => r?.status === 'sent') ? all : undefined;
    }, 30_000);
    expect(settled.map((r) => [r!.id === failing ? 'failing' : 'other', r!.attempts])).toEqual(
      rows.map((r) => [r.id === failing ? 'failing' : 'other', r.id === failing ? 2 : 1]),
    );
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive by now
    const sends = receiver.requests.filter((r) => r.path === '/batched' && r.headers['webhook-id'] !== failing);
    expect(sends.map((r) => r.headers['webhook-id']).sort()).toEqual(
      rows
        .filter((r) => r.id !== failing)
        .map((r) => r.id)
        .sort(),
    );

    const first = await webhooks.getJob(batchJobId(rows[0].id));
    expect(first?.data.deliveryIds).toEqual(rows.slice(0, 10).map((r) => r.id));
    expect(first?.returnvalue).toEqual({ kind: 'batch', sent: 9, skipped: 0, dead: 0, later: 1 });
    expect((await webhooks.getJob(batchJobId(rows[10].id)))?.data.deliveryIds).toEqual(rows.slice(10).map((r) => r.id));
    const own = await webhooks.getJob(failing); // the retry, in a job of its own
    expect(own?.data).toEqual({ deliveryId: failing });
    expect(await webhooks.getJob(rows[0].id)).toBeUndefined(); // the others never had one
  });

  it('gives back the claims of rows recorded claimed when the delivery workers stop attempting here before the commit, and queues them', async () => {
    // The window of a graceful stop: the relay asked canAttemptHere (yes) and recorded the webhook row
    // claimed; by its commit the delivery workers had detached. The row must not wait out its 30 s
    // lease for the sweeper: its claim is given back and a job (the queue's worker still runs) sends it.
    receiver.answer = () => ({ status: 204 });
    const queues = t.running.app.get(DeliveryQueues, { strict: false });
    const workers = t.running.app.get(DeliveryWorkers, { strict: false });
    const created = await apiAs(t, admin).POST('/api/v1/webhooks', {
      body: { url: `${receiver.url}/given-back`, events: ['task.created'] },
    });
    expect(created.response.status).toBe(201);
    const ledger = t.running.app.get(DeliveryLedger, { strict: false });
    const canAttemptHere = jest.spyOn(queues, 'canAttemptHere').mockReturnValue(true);
    const attemptClaimed = jest.spyOn(queues, 'attemptClaimed');
    queues.attemptHere(null);
    try {
      const startedAt = Date.now();
      const task = await createTask(t, admin.accessToken, { title: 'given back' });
      const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.created');
      await eventually(() => receiver.requests.some((r) => r.path === '/given-back'), 10_000);
      expect(Date.now() - startedAt).toBeLessThan(10_000); // well inside the lease (30 s): not the sweeper
      const handedBack = attemptClaimed.mock.results.flatMap((r) => r.value as Array<{ delivery: { id: string } }>);
      const [row] = await eventually(async () => {
        const all = (await deliveriesOf(t, admin.accessToken, eventId)).filter((d) => d.webhookId === created.data!.id);
        return all.length === 1 && all[0].status === 'sent' ? all : undefined;
      });
      expect(handedBack.map((c) => c.delivery.id)).toContain(row.id); // it was recorded claimed, then handed back
      expect(row.attempts).toBe(1); // the given-back claim did not count as an attempt
      await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive by now
      expect(receiver.requests.filter((r) => r.path === '/given-back').map((r) => r.headers['webhook-id'])).toEqual([row.id]);
      // Only a lease still held is given back: the sent row's old claims give back nothing.
      expect(await ledger.release([{ id: row.id, leaseToken: row.id }])).toEqual([]);
    } finally {
      canAttemptHere.mockRestore();
      attemptClaimed.mockRestore();
      queues.attemptHere(workers);
    }
  });
});
