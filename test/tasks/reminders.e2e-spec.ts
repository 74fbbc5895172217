import { Client } from 'pg';
import { CLAIM_DUE_REMINDERS_SQL } from '../../src/modules/tasks/infrastructure/postgres-task-reminder.schedule';
import { apiAs } from '../support/api';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { createTask, pick, settledDeliveries, transition, watch } from '../notifications/notification-helpers';

const APP_PUBLIC_URL = 'https://taskwire.example.test';
const LEAD_MS = 2000;

interface EventEnvelope {
  id: string;
  type: string;
  aggregateId: string;
  actorId: string | null;
  payload: Record<string, unknown>;
}

/**
 * Due-date reminders end to end (docs/api.md "Reminders and digests"), with DUE_SOON_LEAD=2s and
 * due dates a few seconds ahead: the events in the audit trail (once, actor null, the contract's
 * idempotency keys), who is told on which channel, rescheduling and cancelling, and the claim
 * query's plan on a schedule with many future reminders.
 */
describe('due-date reminders', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: Session;
  let manager: Session;
  let assignee: Session;
  let watcher: Session;
  let db: Client;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({
      env: { DUE_SOON_LEAD: '2s', EMAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url, APP_PUBLIC_URL, NOTIFY_RETRY_SCHEDULE: '200ms,200ms,200ms' },
    });
    admin = await adminSession(t);
    [manager, assignee, watcher] = await Promise.all([
      createUser(t, 'manager', { name: 'Mona Manager' }),
      createUser(t, 'member', { name: 'Asa Assignee' }),
      createUser(t, 'manager', { name: 'Wim Watcher' }),
    ]);
    db = new Client({ connectionString: t.databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await t?.close();
    await sink?.close();
  });

  const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const remindersOf = async (taskId: string): Promise<EventEnvelope[]> => {
    const { data } = await apiAs(t, admin).GET('/api/v1/events', { params: { query: { aggregateId: taskId, limit: 100 } } });
    return (data!.data as EventEnvelope[]).filter((e) => e.type === 'task.due_soon' || e.type === 'task.overdue');
  };
  const keysOf = async (taskId: string): Promise<string[]> =>
    (
      await db.query(
        `SELECT idempotency_key FROM events.events WHERE aggregate_id = $1 AND type IN ('task.due_soon', 'task.overdue') ORDER BY seq`,
        [taskId],
      )
    ).rows.map((r: { idempotency_key: string }) => r.idempotency_key);

  it('records task.due_soon at dueAt − DUE_SOON_LEAD and task.overdue at dueAt, once each, as system events', async () => {
    const dueAt = inSeconds(4);
    const task = await createTask(t, manager.accessToken, { title: 'File the taxes', dueAt, assigneeId: assignee.id });
    await watch(t, watcher.accessToken, task.id);

    const soon = await eventually(async () => (await remindersOf(task.id)).find((e) => e.type === 'task.due_soon'), 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(dueAt) - LEAD_MS);
    expect(soon).toMatchObject({ actorId: null, payload: { dueAt, title: 'File the taxes', assigneeId: assignee.id, state: 'assigned' } });
    const late = await eventually(async () => (await remindersOf(task.id)).find((e) => e.type === 'task.overdue'), 10_000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(dueAt));
    expect(late).toMatchObject({ actorId: null, payload: { dueAt } });

    await new Promise((r) => setTimeout(r, 2500)); // more scans: still once each
    expect((await remindersOf(task.id)).map((e) => e.type)).toEqual(['task.due_soon', 'task.overdue']);
    expect(await keysOf(task.id)).toEqual([`task:${task.id}:due_soon:${dueAt}`, `task:${task.id}:overdue:${dueAt}`]);

    // Who is told: due_soon → the assignee (email + in-app); overdue → assignee and creator (email + in-app), the watcher (in-app).
    expect(pick(await settledDeliveries(t, admin.accessToken, soon.id, 2))).toEqual(
      pick([
        { channel: 'email', recipientId: assignee.id, status: 'sent', suppressedReason: null },
        { channel: 'in_app', recipientId: assignee.id, status: 'sent', suppressedReason: null },
      ] as never),
    );
    expect(pick(await settledDeliveries(t, admin.accessToken, late.id, 5))).toEqual(
      pick([
        { channel: 'email', recipientId: assignee.id, status: 'sent', suppressedReason: null },
        { channel: 'email', recipientId: manager.id, status: 'sent', suppressedReason: null },
        { channel: 'in_app', recipientId: assignee.id, status: 'sent', suppressedReason: null },
        { channel: 'in_app', recipientId: manager.id, status: 'sent', suppressedReason: null },
        { channel: 'in_app', recipientId: watcher.id, status: 'sent', suppressedReason: null },
      ] as never),
    );
    const mail = await eventually(() => sink.accepted.find((m) => m.to.includes(assignee.email) && m.subject.includes('Due soon')));
    expect(mail.subject).toBe('[taskwire] Due soon: File the taxes');
    expect(mail.text).toContain(`Due at ${dueAt.slice(0, 16).replace('T', ' ')} UTC.`);
    expect(mail.text).toContain(`${APP_PUBLIC_URL}/tasks/${task.id}`);
    const overdueMail = await eventually(() => sink.accepted.find((m) => m.to.includes(manager.email) && m.subject.includes('Overdue')));
    expect(overdueMail.text).toContain(`It was due at ${dueAt.slice(0, 16).replace('T', ' ')} UTC`);
    const inbox = await apiAs(t, watcher).GET('/api/v1/notifications');
    expect(inbox.data!.data.map((n) => n.title)).toContain('Overdue: File the taxes');
  });

  it('a task created with dueAt already past is overdue at once, and never due soon', async () => {
    const dueAt = new Date(Date.now() - 60_000).toISOString();
    const task = await createTask(t, manager.accessToken, { title: 'Late from the start', dueAt, assigneeId: assignee.id });
    await eventually(async () => (await remindersOf(task.id)).length > 0, 5_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await keysOf(task.id)).toEqual([`task:${task.id}:overdue:${dueAt}`]);
  });

  it('moving dueAt reschedules; completing, cancelling, deleting or clearing it cancels', async () => {
    const far = inSeconds(3600);
    const moved = await createTask(t, manager.accessToken, { title: 'Moved', dueAt: far, assigneeId: assignee.id });
    const completed = await createTask(t, manager.accessToken, { title: 'Completed', dueAt: inSeconds(3), assigneeId: assignee.id });
    const cancelled = await createTask(t, manager.accessToken, { title: 'Cancelled', dueAt: inSeconds(3) });
    const deleted = await createTask(t, manager.accessToken, { title: 'Deleted', dueAt: inSeconds(3) });
    const cleared = await createTask(t, manager.accessToken, { title: 'Cleared', dueAt: inSeconds(3) });
    const newDue = inSeconds(3);
    const asManager = apiAs(t, manager);
    expect(
      (await asManager.PATCH('/api/v1/tasks/{id}', { params: { path: { id: moved.id } }, body: { dueAt: newDue } })).response.status,
    ).toBe(200);
    await transition(t, assignee.accessToken, completed.id, 'in_progress');
    await transition(t, assignee.accessToken, completed.id, 'completed');
    await transition(t, manager.accessToken, cancelled.id, 'cancelled', 'not needed');
    expect((await apiAs(t, admin).DELETE('/api/v1/tasks/{id}', { params: { path: { id: deleted.id } } })).response.status).toBe(204);
    expect(
      (await asManager.PATCH('/api/v1/tasks/{id}', { params: { path: { id: cleared.id } }, body: { dueAt: null } })).response.status,
    ).toBe(200);

    await eventually(async () => (await keysOf(moved.id)).length === 2, 10_000);
    expect(await keysOf(moved.id)).toEqual([`task:${moved.id}:due_soon:${newDue}`, `task:${moved.id}:overdue:${newDue}`]);
    await new Promise((r) => setTimeout(r, 1500));
    for (const other of [completed, cancelled, deleted, cleared]) expect(await keysOf(other.id)).toEqual([]);
  });

  it('GET /notification-preferences lists the reminder types, and switching one off suppresses it', async () => {
    const asAssignee = apiAs(t, assignee);
    const prefs = (await asAssignee.GET('/api/v1/notification-preferences')).data!;
    expect(prefs.email).toMatchObject({ 'task.due_soon': true, 'task.overdue': true });
    expect(prefs.inApp).toMatchObject({ 'task.due_soon': true, 'task.overdue': true });
    const off = await asAssignee.PUT('/api/v1/notification-preferences', { body: { email: { 'task.due_soon': false } } });
    expect(off.response.status).toBe(200);
    const task = await createTask(t, manager.accessToken, { title: 'Quiet reminder', dueAt: inSeconds(1), assigneeId: assignee.id });
    const soon = await eventually(async () => (await remindersOf(task.id)).find((e) => e.type === 'task.due_soon'), 10_000);
    expect(pick(await settledDeliveries(t, admin.accessToken, soon.id, 2))).toEqual(
      pick([
        { channel: 'email', recipientId: assignee.id, status: 'suppressed', suppressedReason: 'preference' },
        { channel: 'in_app', recipientId: assignee.id, status: 'sent', suppressedReason: null },
      ] as never),
    );
  });

  it('the claim reads the fires_at index, not the table, with many future reminders scheduled', async () => {
    // 20 000 open tasks due in the next months (their reminders written as the repository writes them).
    await db.query(
      `
      WITH t AS (
        INSERT INTO tasks.tasks (id, title, priority, state, creator_id, due_at, labels, version, created_at, updated_at)
        SELECT gen_random_uuid(), 'bulk ' || i, 'normal', 'draft', $1, now() + (i || ' minutes')::interval, '{}', 1, now(), now()
          FROM generate_series(1, 20000) AS i
        RETURNING id, due_at)
      INSERT INTO tasks.task_reminders (task_id, kind, due_at) SELECT id, k, due_at FROM t CROSS JOIN unnest(ARRAY['due_soon', 'overdue']) AS k`,
      [manager.id],
    );
    await db.query('ANALYZE tasks.task_reminders');
    const now = new Date();
    const plan = (await db.query(`EXPLAIN ${CLAIM_DUE_REMINDERS_SQL}`, [now, new Date(now.getTime() + LEAD_MS), LEAD_MS, 100])).rows
      .map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN'])
      .join('\n');
    expect(plan).toMatch(/Index (Only )?Scan using task_reminders_pending/);
    expect(plan).not.toMatch(/Seq Scan/);
    await db.query(`DELETE FROM tasks.tasks WHERE title LIKE 'bulk %'`);
  });
});
