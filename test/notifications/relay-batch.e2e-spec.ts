import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { ClsService } from 'nestjs-cls';
import { Client } from 'pg';
import { DeliveryLedger } from '../../src/modules/notifications/application/ports/delivery-ledger.port';
import { NotificationInbox } from '../../src/modules/notifications/application/ports/notification-inbox.port';
import { DeliveryQueues } from '../../src/modules/notifications/infrastructure/delivery-queues';
import { QueueNames } from '../../src/platform/queue';
import { apiAs } from '../support/api';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { assignTask, createTask, eventIdOf, settledDeliveries } from './notification-helpers';

/**
 * Issue 15: the relay plans and records an event's deliveries in its own batch transaction — the
 * in-app row is in the inbox and `sent` with one attempt without a queue job, and the event needs no
 * `events` job — and when that fails (here: a lock held on handler_runs for longer than the relay
 * waits), the same rows come through the per-event path instead: nothing lost, nothing twice.
 * Both CI modes (BullMQ on PostgreSQL, or Redis).
 */
describe('notifications: deliveries recorded in the relay batch', () => {
  let t: TestApp;
  let admin: Session;
  let member: Session;
  let db: Client;
  let events: Queue;

  beforeAll(async () => {
    t = await startTestApp({ env: { OUTBOX_POLL_INTERVAL: '200ms' } });
    admin = await adminSession(t);
    member = await createUser(t, 'member', { name: 'Rita Relay' });
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
    events = t.running.app.get<Queue>(getQueueToken(QueueNames.events));
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
  });

  const inbox = async (session: Session) =>
    (await apiAs(t, session).GET('/api/v1/notifications', { params: { query: { limit: 100 } } })).data!.data;

  it('writes the ledger rows and the in-app notification in the relay transaction; the event, handled whole there, gets no job', async () => {
    const task = await createTask(t, admin.accessToken, { title: 'Relayed in one batch' });
    await assignTask(t, admin.accessToken, task.id, member.id);
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
    const rows = await settledDeliveries(t, admin.accessToken, eventId, 2);
    expect(rows.map((r) => [r.channel, r.recipientId, r.status, r.attempts]).sort()).toEqual([
      ['email', member.id, 'sent', 1],
      ['in_app', member.id, 'sent', 1],
    ]);
    expect((await inbox(member)).filter((n) => n.eventId === eventId)).toHaveLength(1);
    const inAppId = rows.find((r) => r.channel === 'in_app')!.id;
    const inAppQueue = t.running.app.get(DeliveryQueues, { strict: false }).queue(QueueNames.inApp);
    expect(await inAppQueue.getJob(inAppId)).toBeUndefined(); // written where it was planned: no job
    // Its only listener ran in the relay's committed transaction: no event job (the relay recorded
    // its span and log line itself), the event is published, and there is one handler run, the relay's.
    expect(await events.getJob(eventId)).toBeUndefined();
    const published = await db.query(`SELECT published_at FROM events.events WHERE id = $1`, [eventId]);
    expect(published.rows[0].published_at).not.toBeNull();
    const runs = await db.query(`SELECT handler FROM events.handler_runs WHERE event_id = $1`, [eventId]);
    expect(runs.rows.map((r) => r.handler)).toEqual(['notifications.publisher']);
    // The email row was attempted by this process right after the commit (NOTIFY_SEND_AT_RELAY, on by
    // default, and the email queue had room): no job either.
    const emailId = rows.find((r) => r.channel === 'email')!.id;
    const emailQueue = t.running.app.get(DeliveryQueues, { strict: false }).queue(QueueNames.email);
    expect(await emailQueue.getJob(emailId)).toBeUndefined();
  });

  it('records an in-app row and its inbox row in one statement, and a row recorded again gets no second inbox row', async () => {
    const task = await createTask(t, admin.accessToken, { title: 'Recorded twice' });
    await assignTask(t, admin.accessToken, task.id, member.id);
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
    await settledDeliveries(t, admin.accessToken, eventId, 2);
    const ledger = t.running.app.get(DeliveryLedger, { strict: false });
    const notificationInbox = t.running.app.get(NotificationInbox, { strict: false });
    const cls = t.running.app.get(ClsService);
    const recordInApp = (recipientId: string) =>
      cls.run(() =>
        ledger.recordMany(
          [
            {
              event: { id: eventId, type: 'task.assigned' },
              planned: [{ channel: 'in_app', recipientId, webhookId: null, status: 'sent', suppressedReason: null }],
            },
          ],
          {
            inbox: notificationInbox,
            of: (d) => ({
              id: randomUUID(),
              recipientId,
              deliveryId: d.id,
              eventId,
              type: 'task.assigned',
              title: 'again',
              body: 'again',
              link: null,
              taskId: task.id,
              actorId: admin.id,
              createdAt: new Date(),
              readAt: null,
            }),
          },
        ),
      );
    // The member's in-app row exists (the relay wrote it): nothing is inserted, no second inbox row.
    expect(await recordInApp(member.id)).toEqual([]);
    expect((await inbox(member)).filter((n) => n.eventId === eventId)).toHaveLength(1);
    // A recipient without a row for this event gets the row, sent, and exactly its inbox row.
    const other = await createUser(t, 'member', { name: 'Otto Other' });
    const [row] = await recordInApp(other.id);
    expect(row).toMatchObject({ channel: 'in_app', recipientId: other.id, status: 'sent', attempts: 1 });
    const theirs = await db.query(`SELECT delivery_id, title FROM notifications.notifications WHERE event_id = $1 AND recipient_id = $2`, [
      eventId,
      other.id,
    ]);
    expect(theirs.rows).toEqual([{ delivery_id: row.id, title: 'again' }]);
  });

  it('does not attempt rows of a paused queue where they were recorded: they wait in the queue until it is resumed', async () => {
    const emailQueue = t.running.app.get(DeliveryQueues, { strict: false }).queue(QueueNames.email);
    const emailOf = async (eventId: string) =>
      (await db.query(`SELECT id, status, attempts FROM notifications.deliveries WHERE event_id = $1 AND channel = 'email'`, [eventId]))
        .rows[0];
    let eventId = '';
    await emailQueue.pause();
    try {
      await new Promise((r) => setTimeout(r, 1500)); // the workers read the paused flags every second
      const task = await createTask(t, admin.accessToken, { title: 'Paused channel' });
      await assignTask(t, admin.accessToken, task.id, member.id);
      eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
      const row = await eventually(() => emailOf(eventId));
      await new Promise((r) => setTimeout(r, 1000));
      expect(await emailOf(eventId)).toMatchObject({ status: 'pending', attempts: 0 });
      expect(await emailQueue.getJob(row.id)).toBeDefined(); // queued, waiting for the resume
    } finally {
      await emailQueue.resume();
    }
    const sent = await eventually(async () => {
      const row = await emailOf(eventId);
      return row?.status === 'sent' ? row : undefined;
    }, 15_000);
    expect(sent.attempts).toBe(1);
  });

  it('falls back to the per-event path when the relay cannot record the batch, with the same rows once', async () => {
    const task = await createTask(t, admin.accessToken, { title: 'Relayed the slow way' });
    const holder = new Client({ connectionString: t.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE events.handler_runs IN SHARE MODE'); // the relay's insert waits, then gives up (2 s)
      await assignTask(t, admin.accessToken, task.id, member.id);
      const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
      const job = await eventually(async () => (await events.getJob(eventId)) ?? undefined, 20_000); // published through the queue after all
      expect(job.data.handledAtRelay).toBeUndefined(); // added before the commit: its handler still has to run
      expect(job.opts.removeOnComplete).toEqual(process.env.REDIS_URL ? { age: 3600, count: 10_000 } : { age: 300 });
      await holder.query('ROLLBACK');
      const rows = await settledDeliveries(t, admin.accessToken, eventId, 2, 30_000);
      expect(rows.map((r) => [r.channel, r.status]).sort()).toEqual([
        ['email', 'sent'],
        ['in_app', 'sent'],
      ]);
      await new Promise((r) => setTimeout(r, 500));
      expect((await inbox(member)).filter((n) => n.eventId === eventId)).toHaveLength(1);
      const runs = await db.query(`SELECT handler FROM events.handler_runs WHERE event_id = $1`, [eventId]);
      expect(runs.rows.map((r) => r.handler)).toEqual(['notifications.publisher']);
    } finally {
      await holder.query('ROLLBACK').catch(() => undefined);
      await holder.end();
    }
  }, 60_000);
});

describe('notifications: with NOTIFY_SEND_AT_RELAY=false every pending row goes through its queue', () => {
  let t: TestApp;
  let admin: Session;
  let member: Session;

  beforeAll(async () => {
    t = await startTestApp({ env: { NOTIFY_SEND_AT_RELAY: 'false' } });
    admin = await adminSession(t);
    member = await createUser(t, 'member', { name: 'Quentin Queue' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends the email through a job of the email queue, kept by the backend retention', async () => {
    const task = await createTask(t, admin.accessToken, { title: 'Through the queue' });
    await assignTask(t, admin.accessToken, task.id, member.id);
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
    const rows = await settledDeliveries(t, admin.accessToken, eventId, 2);
    const emailId = rows.find((r) => r.channel === 'email')!.id;
    const emailJob = await t.running.app.get(DeliveryQueues, { strict: false }).queue(QueueNames.email).getJob(emailId);
    expect(emailJob?.returnvalue).toMatchObject({ kind: 'sent' });
    // Completed jobs are kept by the backend's retention: on BullMQ's PostgreSQL backend by age only
    // (its count retention re-sorts every kept job on each completion), on Redis by age and count.
    const expected = process.env.REDIS_URL ? { age: 3600, count: 10_000 } : { age: 300 };
    expect(emailJob?.opts.removeOnComplete).toEqual(expected);
  });
});
