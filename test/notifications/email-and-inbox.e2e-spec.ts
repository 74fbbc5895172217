import { apiAs } from '../support/api';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { assignTask, createTask, eventIdOf, pick, settledDeliveries, transition, watch } from './notification-helpers';

const APP_PUBLIC_URL = 'https://taskwire.example.test';

/**
 * The pipeline end to end through the API, with email over real SMTP (the `smtp-server` package
 * as the sink): recipients by the rules, the in-app inbox API, preferences, the actor, inactive
 * users, and the ledger that records all of it. Valid calls go through the typed client; the
 * malformed ids, filters, cursors and preference bodies stay raw (`t.http`): they are the input under test.
 */
describe('notifications: email over SMTP and the in-app inbox', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: Session;
  let member: Session;
  let other: Session;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({
      env: {
        EMAIL_TRANSPORT: 'smtp',
        SMTP_URL: sink.url,
        APP_PUBLIC_URL,
        NOTIFY_RETRY_SCHEDULE: '200ms,200ms,200ms',
        MAIL_FROM: 'taskwire <notify@taskwire.test>',
      },
    });
    admin = await adminSession(t);
    [member, other] = await Promise.all([createUser(t, 'member', { name: 'Mia Member' }), createUser(t, 'member', { name: 'Otto Other' })]);
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  const mailsTo = (email: string) => sink.accepted.filter((m) => m.to.includes(email));

  it('assigning a task emails the new assignee and puts it in their inbox; the ledger says so', async () => {
    const task = await createTask(t, admin.accessToken, { title: 'Write the quarterly report' });
    await assignTask(t, admin.accessToken, task.id, member.id);

    const mail = await eventually(() => mailsTo(member.email).find((m) => m.text.includes(task.id)));
    expect(mail.to).toEqual([member.email]);
    expect(mail.from).toBe('notify@taskwire.test');
    expect(mail.subject).toBe('[taskwire] Assigned to you: Write the quarterly report');
    expect(mail.text).toContain('Hi Mia Member,');
    expect(mail.text).toContain('assigned you “Write the quarterly report”.');
    expect(mail.text).toContain(`Open the task: ${APP_PUBLIC_URL}/tasks/${task.id}`);
    expect(mail.html).toContain(`href="${APP_PUBLIC_URL}/tasks/${task.id}"`);
    expect(mail.headers['x-taskwire-event']).toBe('task.assigned');

    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
    const rows = await settledDeliveries(t, admin.accessToken, eventId, 2);
    expect(pick(rows)).toEqual([
      { channel: 'email', recipientId: member.id, status: 'sent', suppressedReason: null },
      { channel: 'in_app', recipientId: member.id, status: 'sent', suppressedReason: null },
    ]);
    expect(mail.messageId).toBe(`<${rows.find((r) => r.channel === 'email')!.id}@taskwire.test>`);
    expect(rows.every((r) => r.attempts === 1 && r.sentAt !== null && r.lastError === null && r.nextAttemptAt === null)).toBe(true);

    const asMember = apiAs(t, member);
    const inbox = await asMember.GET('/api/v1/notifications');
    expect(inbox.response.status).toBe(200);
    expect(inbox.data!.data).toHaveLength(1);
    expect(inbox.data!.data[0]).toMatchObject({
      eventId,
      type: 'task.assigned',
      title: 'Assigned to you: Write the quarterly report',
      link: `${APP_PUBLIC_URL}/tasks/${task.id}`,
      taskId: task.id,
      actorId: admin.id,
      read: false,
      readAt: null,
    });
    expect((await asMember.GET('/api/v1/notifications/unread-count')).data).toEqual({ count: 1 });
    // Nobody else's inbox has it.
    expect((await apiAs(t, other).GET('/api/v1/notifications')).data!.data).toEqual([]);
  });

  it('reads one, reads all, and keeps every inbox private', async () => {
    const task = await createTask(t, admin.accessToken, { title: 'Inbox drill', assigneeId: member.id });
    const edited = await apiAs(t, admin).PATCH('/api/v1/tasks/{id}', { params: { path: { id: task.id } }, body: { priority: 'high' } });
    expect(edited.response.status).toBe(200);
    const asMember = apiAs(t, member);
    const asOther = apiAs(t, other);
    const readOne = (api: typeof asMember, id: string) => api.POST('/api/v1/notifications/{id}/read', { params: { path: { id } } });
    // assigned (in-app) + updated (in-app, to the assignee)
    const unread = await eventually(async () => {
      const res = await asMember.GET('/api/v1/notifications', { params: { query: { unread: 'true' } } });
      const mine = res.data!.data.filter((n) => n.taskId === task.id);
      return mine.length === 2 ? mine : undefined;
    });
    expect(unread.map((n) => n.type)).toEqual(['task.updated', 'task.assigned']); // newest first

    const [updated] = unread;
    expect((await readOne(asOther, updated.id)).response.status).toBe(404);
    expect((await t.http.post(`/api/v1/notifications/not-a-uuid/read`, undefined, { token: member.accessToken })).status).toBe(400);
    const read = await readOne(asMember, updated.id);
    expect(read.response.status).toBe(204);
    expect((await readOne(asMember, updated.id)).response.status).toBe(204); // idempotent
    const after = await asMember.GET('/api/v1/notifications');
    expect(after.data!.data.find((n) => n.id === updated.id)).toMatchObject({ read: true, readAt: expect.any(String) });
    const unreadBefore = (await asMember.GET('/api/v1/notifications/unread-count')).data!.count;
    expect(unreadBefore).toBeGreaterThanOrEqual(1);

    expect((await asMember.POST('/api/v1/notifications/read-all')).response.status).toBe(204);
    expect((await asMember.GET('/api/v1/notifications/unread-count')).data).toEqual({ count: 0 });
    expect((await asMember.GET('/api/v1/notifications', { params: { query: { unread: 'true' } } })).data).toEqual({
      data: [],
      nextCursor: null,
    });
  });

  it('pages the inbox with an opaque cursor and rejects bad ones', async () => {
    const asMember = apiAs(t, member);
    const first = (await asMember.GET('/api/v1/notifications', { params: { query: { limit: 1 } } })).data!;
    expect(first.data).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = (await asMember.GET('/api/v1/notifications', { params: { query: { limit: 1, cursor: first.nextCursor! } } })).data!;
    expect(second.data).toHaveLength(1);
    // Newest first by when it happened (createdAt), then id: the second page holds the next older one.
    // (Ids are assigned at delivery, and deliveries of close events may run in either order.)
    const position = (n: { createdAt: string; id: string }) => `${new Date(n.createdAt).toISOString()}|${n.id}`;
    expect(position(second.data[0]) < position(first.data[0])).toBe(true);
    const bad = await t.http.get('/api/v1/notifications?cursor=nonsense', { token: member.accessToken });
    expect(bad.status).toBe(400);
    expect((await t.http.get('/api/v1/notifications?unread=yes', { token: member.accessToken })).status).toBe(400);
    expect((await t.http.get('/api/v1/notifications?limit=101', { token: member.accessToken })).status).toBe(400);
  });

  it('never notifies the actor: the ledger records them as suppressed (reason actor)', async () => {
    const task = await createTask(t, admin.accessToken, { title: 'Self-assigned', assigneeId: admin.id });
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
    const rows = await settledDeliveries(t, admin.accessToken, eventId, 2);
    expect(pick(rows)).toEqual([
      { channel: 'email', recipientId: admin.id, status: 'suppressed', suppressedReason: 'actor' },
      { channel: 'in_app', recipientId: admin.id, status: 'suppressed', suppressedReason: 'actor' },
    ]);
    expect(rows.every((r) => r.attempts === 0 && r.sentAt === null)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.received.filter((m) => m.text.includes(task.id))).toEqual([]);
  });

  it('follows the rules for completion (creator and watchers), skipping the actor and inactive watchers', async () => {
    const creator = await createUser(t, 'manager', { name: 'Cleo Creator' });
    // Managers see every task, so they may watch it; the assignee sees it as its assignee.
    const [assignee, watcher, leaver] = await Promise.all([createUser(t, 'member'), createUser(t, 'manager'), createUser(t, 'manager')]);
    const task = await createTask(t, creator.accessToken, { title: 'Ship it', assigneeId: assignee.id });
    await Promise.all([
      watch(t, assignee.accessToken, task.id),
      watch(t, watcher.accessToken, task.id),
      watch(t, leaver.accessToken, task.id),
    ]);
    const deactivated = await apiAs(t, admin).PATCH('/api/v1/users/{id}', { params: { path: { id: leaver.id } }, body: { active: false } });
    expect(deactivated.response.status).toBe(200);
    await transition(t, assignee.accessToken, task.id, 'in_progress');
    await transition(t, assignee.accessToken, task.id, 'completed');

    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.completed');
    const rows = await settledDeliveries(t, admin.accessToken, eventId, 8);
    expect(pick(rows)).toEqual(
      pick([
        ...['email', 'in_app'].flatMap((channel) => [
          { channel, recipientId: creator.id, status: 'sent', suppressedReason: null },
          { channel, recipientId: watcher.id, status: 'sent', suppressedReason: null },
          { channel, recipientId: assignee.id, status: 'suppressed', suppressedReason: 'actor' },
          { channel, recipientId: leaver.id, status: 'suppressed', suppressedReason: 'user_inactive' },
        ]),
      ] as never),
    );
    const mails = await eventually(() => {
      const found = sink.accepted.filter((m) => m.text.includes(task.id) && m.subject.includes('Completed'));
      return found.length === 2 ? found : undefined;
    });
    expect(mails.map((m) => m.to[0]).sort()).toEqual([creator.email, watcher.email].sort());
    expect(mails[0].subject).toBe('[taskwire] Completed: Ship it');

    // task.started went to the creator only, in-app (the assignee started it).
    const started = await settledDeliveries(t, admin.accessToken, await eventIdOf(t, admin.accessToken, task.id, 'task.started'), 1);
    expect(pick(started)).toEqual([{ channel: 'in_app', recipientId: creator.id, status: 'sent', suppressedReason: null }]);
  });

  it('honours preferences: a switched-off pair is recorded as suppressed and nothing is sent', async () => {
    const asOther = apiAs(t, other);
    const defaults = await asOther.GET('/api/v1/notification-preferences');
    expect(defaults.response.status).toBe(200);
    expect(Object.keys(defaults.data!).sort()).toEqual(['email', 'emailDigest', 'inApp']);
    expect(defaults.data!.emailDigest).toBe('off');
    expect(defaults.data!.email).toEqual({
      'task.created': true,
      'task.updated': true,
      'task.assigned': true,
      'task.unassigned': true,
      'task.started': true,
      'task.paused': true,
      'task.completed': true,
      'task.cancelled': true,
      'task.deleted': true,
      'task.commented': true,
      'task.due_soon': true,
      'task.overdue': true,
    });

    const put = await asOther.PUT('/api/v1/notification-preferences', { body: { email: { 'task.assigned': false } } });
    expect(put.response.status).toBe(200);
    expect(put.data!.email['task.assigned']).toBe(false);
    expect(put.data!.inApp['task.assigned']).toBe(true);
    expect((await asOther.GET('/api/v1/notification-preferences')).data).toEqual(put.data);

    const task = await createTask(t, admin.accessToken, { title: 'Quietly assigned' });
    await assignTask(t, admin.accessToken, task.id, other.id);
    const rows = await settledDeliveries(t, admin.accessToken, await eventIdOf(t, admin.accessToken, task.id, 'task.assigned'), 2);
    expect(pick(rows)).toEqual([
      { channel: 'email', recipientId: other.id, status: 'suppressed', suppressedReason: 'preference' },
      { channel: 'in_app', recipientId: other.id, status: 'sent', suppressedReason: null },
    ]);
    await new Promise((r) => setTimeout(r, 300));
    expect(sink.received.filter((m) => m.text.includes(task.id))).toEqual([]);
  });

  it('rejects unknown channels, unknown types and non-booleans in preferences', async () => {
    const res = await t.http.put(
      '/api/v1/notification-preferences',
      { sms: { 'task.assigned': false }, email: { 'task.exploded': false, 'task.updated': 'no' } },
      { token: other.accessToken },
    );
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['email.task.exploded', 'email.task.updated', 'sms']);
    expect((await t.http.put('/api/v1/notification-preferences', [true], { token: other.accessToken })).status).toBe(400);
    expect((await t.http.put('/api/v1/notification-preferences', { inApp: 'off' }, { token: other.accessToken })).status).toBe(400);
  });

  it('retries an SMTP 4xx on the schedule and delivers exactly once', async () => {
    const target = await createUser(t, 'member');
    sink.answer = (mail) =>
      mail.to.includes(target.email) && sink.received.filter((m) => m.to.includes(target.email)).length <= 2
        ? { code: 451, message: '4.3.0 Mailbox busy, try again later' }
        : { accept: true };
    const task = await createTask(t, admin.accessToken, { title: 'Flaky mailbox' });
    await assignTask(t, admin.accessToken, task.id, target.id);
    const rows = await settledDeliveries(t, admin.accessToken, await eventIdOf(t, admin.accessToken, task.id, 'task.assigned'), 2);
    const email = rows.find((r) => r.channel === 'email')!;
    expect(email).toMatchObject({ status: 'sent', attempts: 3 });
    expect(email.lastError).toMatch(/^SMTP 451/);
    expect(sink.received.filter((m) => m.to.includes(target.email))).toHaveLength(3);
    expect(mailsTo(target.email)).toHaveLength(1);
    sink.answer = () => ({ accept: true });
  });

  it('records an SMTP 5xx as dead at once, and an admin retry delivers it', async () => {
    const target = await createUser(t, 'member');
    let refuse = true;
    sink.answer = (mail) => (refuse && mail.to.includes(target.email) ? { code: 550, message: '5.1.1 No such mailbox' } : { accept: true });
    const task = await createTask(t, admin.accessToken, { title: 'Bounced' });
    await assignTask(t, admin.accessToken, task.id, target.id);
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
    const rows = await settledDeliveries(t, admin.accessToken, eventId, 2);
    const email = rows.find((r) => r.channel === 'email')!;
    expect(email).toMatchObject({ status: 'dead', attempts: 1, nextAttemptAt: null, sentAt: null });
    expect(email.lastError).toBe('SMTP 550: 5.1.1 No such mailbox');
    await new Promise((r) => setTimeout(r, 800)); // longer than the whole retry schedule
    expect(sink.received.filter((m) => m.to.includes(target.email))).toHaveLength(1);

    const asAdmin = apiAs(t, admin);
    const retry = (api: typeof asAdmin, id: string) => api.POST('/api/v1/deliveries/{id}/retry', { params: { path: { id } } });
    const dead = await asAdmin.GET('/api/v1/deliveries', { params: { query: { status: 'dead', recipientId: target.id } } });
    expect(dead.data!.data.map((d) => d.id)).toEqual([email.id]);

    // Only admins retry; managers read.
    const manager = apiAs(t, await createUser(t, 'manager'));
    expect((await retry(manager, email.id)).response.status).toBe(403);
    expect((await manager.GET('/api/v1/deliveries', { params: { query: { eventId } } })).response.status).toBe(200);

    refuse = false;
    const retried = await retry(asAdmin, email.id);
    expect(retried.response.status).toBe(202);
    expect(retried.data).toMatchObject({ id: email.id, status: 'pending' });
    const after = await settledDeliveries(t, admin.accessToken, eventId, 2);
    expect(after.find((r) => r.id === email.id)).toMatchObject({ status: 'sent', attempts: 2 });
    expect(mailsTo(target.email)).toHaveLength(1);

    const again = await retry(asAdmin, email.id);
    expect(again.response.status).toBe(409);
    expect(again.error).toMatchObject({ code: 'DELIVERY_NOT_DEAD', status: 409 });
    expect((await retry(asAdmin, '019ac3f1-0000-7000-8000-000000000000')).response.status).toBe(404);
    expect((await t.http.post(`/api/v1/deliveries/nope/retry`, undefined, { token: admin.accessToken })).status).toBe(400);
    sink.answer = () => ({ accept: true });
  });

  it('validates ledger filters', async () => {
    const check = async (query: string, status: number) =>
      expect((await t.http.get(`/api/v1/deliveries?${query}`, { token: admin.accessToken })).status).toBe(status);
    await check('channel=email&status=sent', 200);
    await check('channel=webhook', 200);
    await check('channel=carrier_pigeon', 400);
    await check('status=sending', 400);
    await check('eventId=nope', 400);
    await check('recipientId=nope', 400);
    await check('cursor=%%%', 400);
    const asAdmin = apiAs(t, admin);
    const page = (await asAdmin.GET('/api/v1/deliveries', { params: { query: { limit: 2 } } })).data!;
    expect(page.data).toHaveLength(2);
    const next = (await asAdmin.GET('/api/v1/deliveries', { params: { query: { limit: 2, cursor: page.nextCursor! } } })).data!;
    expect(next.data[0].id < page.data[1].id).toBe(true);
  });
});
