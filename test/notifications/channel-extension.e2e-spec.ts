import { apiAs } from '../support/api';
import { ChatChannel, ChatChannelModule, DuplicateChannelModule } from '../support/fixtures/chat-channel.module';
import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { assignTask, createTask, eventIdOf, pick, settledDeliveries } from './notification-helpers';

/**
 * A channel added by another module (test/support/fixtures/chat-channel.module.ts) without
 * editing the notifications module: it gets its own queue, ledger rows, preferences and retries.
 */
describe('notifications: a channel added by another module', () => {
  let t: TestApp;
  let chat: ChatChannel;
  let admin: Session;
  let member: Session;

  beforeAll(async () => {
    t = await startTestApp({
      extraImports: [ChatChannelModule],
      env: { NOTIFY_RETRY_SCHEDULE: '200ms,200ms,200ms', APP_PUBLIC_URL: 'https://app.example.test' },
    });
    chat = t.running.app.get(ChatChannel, { strict: false });
    admin = await adminSession(t);
    member = await createUser(t, 'member', { name: 'Chad Chat' });
  });
  afterAll(() => t?.close());

  it('receives deliveries for the event types it declared, with ready-made texts', async () => {
    const task = await createTask(t, admin.accessToken, { title: 'Post it in chat' });
    await assignTask(t, admin.accessToken, task.id, member.id);
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
    const rows = await settledDeliveries(t, admin.accessToken, eventId, 3);
    expect(pick(rows)).toEqual([
      { channel: 'chat', recipientId: member.id, status: 'sent', suppressedReason: null },
      { channel: 'email', recipientId: member.id, status: 'sent', suppressedReason: null },
      { channel: 'in_app', recipientId: member.id, status: 'sent', suppressedReason: null },
    ]);
    const message = chat.posted.find((m) => m.event.id === eventId)!;
    expect(message).toMatchObject({
      deliveryId: rows.find((r) => r.channel === 'chat')!.id,
      channel: 'chat',
      attempt: 1,
      recipient: { id: member.id, email: member.email, name: 'Chad Chat' },
      actor: { id: admin.id },
      title: 'Post it in chat'.replace(/^/, 'Assigned to you: '),
      link: `https://app.example.test/tasks/${task.id}`,
    });
    const filtered = await t.http.get(`/api/v1/deliveries?channel=chat&recipientId=${member.id}`, { token: admin.accessToken });
    expect(filtered.status).toBe(200);
    expect(filtered.body.data.map((d: { eventId: string }) => d.eventId)).toContain(eventId);
  });

  it('does not get event types it did not declare', async () => {
    const task = await createTask(t, admin.accessToken, { title: 'Not for chat', assigneeId: member.id });
    const edited = await apiAs(t, admin).PATCH('/api/v1/tasks/{id}', { params: { path: { id: task.id } }, body: { priority: 'urgent' } });
    expect(edited.response.status).toBe(200);
    const rows = await settledDeliveries(t, admin.accessToken, await eventIdOf(t, admin.accessToken, task.id, 'task.updated'), 1);
    expect(rows.map((r) => r.channel)).toEqual(['in_app']);
  });

  it('appears in preferences, and its switch is honoured', async () => {
    const prefs = await t.http.get('/api/v1/notification-preferences', { token: member.accessToken });
    expect(Object.keys(prefs.body).sort()).toEqual(['chat', 'email', 'emailDigest', 'inApp']);
    const put = await t.http.put('/api/v1/notification-preferences', { chat: { 'task.assigned': false } }, { token: member.accessToken });
    expect(put.status).toBe(200);
    expect(put.body.chat['task.assigned']).toBe(false);
    const task = await createTask(t, admin.accessToken, { title: 'Quiet chat' });
    await assignTask(t, admin.accessToken, task.id, member.id);
    const rows = await settledDeliveries(t, admin.accessToken, await eventIdOf(t, admin.accessToken, task.id, 'task.assigned'), 3);
    expect(rows.find((r) => r.channel === 'chat')).toMatchObject({ status: 'suppressed', suppressedReason: 'preference' });
    await t.http.put('/api/v1/notification-preferences', { chat: { 'task.assigned': true } }, { token: member.accessToken });
  });

  it('is retried on the schedule when it fails recoverably', async () => {
    chat.failures = 2;
    const task = await createTask(t, admin.accessToken, { title: 'Chat hiccup' });
    await assignTask(t, admin.accessToken, task.id, member.id);
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.assigned');
    const rows = await settledDeliveries(t, admin.accessToken, eventId, 3);
    expect(rows.find((r) => r.channel === 'chat')).toMatchObject({ status: 'sent', attempts: 3, lastError: 'chat service busy' });
    expect(chat.posted.filter((m) => m.event.id === eventId)).toHaveLength(1);
    await eventually(() => chat.posted.find((m) => m.event.id === eventId)?.attempt === 3);
  });

  it('refuses to start when a channel takes a name that is in use', async () => {
    await expect(startTestApp({ extraImports: [DuplicateChannelModule] })).rejects.toThrow(/two channels share the name "email"/);
  });
});
