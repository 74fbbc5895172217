import { Session, adminSession, createUser } from '../support/auth-fixtures';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { assignTask, createTask, deliveriesOf, eventIdOf } from './notification-helpers';

const APP_PUBLIC_URL = 'https://taskwire.example.test';

/**
 * The `emailDigest` preference end to end, email over real SMTP: a member with a 10 s window gets
 * ONE email listing the three assignments made inside it, every email row ends `sent` with one
 * digestId, and the in-app rows are sent at once.
 */
describe('notifications: email digests', () => {
  let t: TestApp;
  let sink: SmtpSink;
  let admin: Session;
  let member: Session;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await startTestApp({
      env: { EMAIL_TRANSPORT: 'smtp', SMTP_URL: sink.url, APP_PUBLIC_URL, MAIL_FROM: 'taskwire <notify@taskwire.test>' },
    });
    admin = await adminSession(t);
    member = await createUser(t, 'member', { name: 'Mia Member' });
  });
  afterAll(async () => {
    await t?.close();
    await sink?.close();
  });

  const put = (session: Session, body: unknown) => t.http.put('/api/v1/notification-preferences', body, { token: session.accessToken });

  it('validates emailDigest: "off" or "10s".."24h"; GET returns it; a PUT without it keeps it', async () => {
    expect((await t.http.get('/api/v1/notification-preferences', { token: member.accessToken })).body.emailDigest).toBe('off');
    for (const bad of ['5s', '25h', 'soon', 15, null]) {
      const res = await put(member, { emailDigest: bad });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(JSON.stringify(res.body)).toContain('emailDigest');
    }
    for (const good of ['24h', '15m', 'off']) {
      const res = await put(member, { emailDigest: good });
      expect(res.status).toBe(200);
      expect(res.body.emailDigest).toBe(good);
    }
    expect((await put(member, { emailDigest: '1h' })).body.emailDigest).toBe('1h');
    const unchanged = await put(member, { email: { 'task.completed': true } });
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.emailDigest).toBe('1h');
    expect((await t.http.get('/api/v1/notification-preferences', { token: member.accessToken })).body.emailDigest).toBe('1h');
  });

  it('folds the email notifications of a window into one email listing them all; in-app is not held', async () => {
    expect((await put(member, { emailDigest: '10s' })).status).toBe(200);
    const tasks = [];
    for (const title of ['Digest one', 'Digest two', 'Digest three']) {
      const task = await createTask(t, admin.accessToken, { title });
      await assignTask(t, admin.accessToken, task.id, member.id);
      tasks.push(task);
    }
    const eventIds = await Promise.all(tasks.map((task) => eventIdOf(t, admin.accessToken, task.id, 'task.assigned')));
    // In-app rows are sent at once, while the email rows are held in the window (still pending).
    const early = await eventually(async () => {
      const rows = (await Promise.all(eventIds.map((id) => deliveriesOf(t, admin.accessToken, id)))).flat();
      const inApp = rows.filter((r) => r.channel === 'in_app');
      const email = rows.filter((r) => r.channel === 'email');
      return inApp.length === 3 && inApp.every((r) => r.status === 'sent') && email.length === 3 && email.every((r) => r.digestId)
        ? rows
        : undefined;
    });
    expect(early.filter((r) => r.channel === 'in_app').every((r) => r.digestId === null)).toBe(true);
    expect(early.filter((r) => r.channel === 'email').every((r) => r.status === 'pending')).toBe(true);
    expect(sink.accepted.filter((m) => m.to.includes(member.email))).toEqual([]);

    const mail = await eventually(() => sink.accepted.find((m) => m.to.includes(member.email)), 30_000);
    expect(mail.subject).toBe('[taskwire] 3 notifications');
    for (const task of tasks) {
      expect(mail.text).toContain(`- Assigned to you: ${task.title}\n  ${APP_PUBLIC_URL}/tasks/${task.id}`);
      expect(mail.html).toContain(`href="${APP_PUBLIC_URL}/tasks/${task.id}"`);
    }
    const email = await eventually(async () => {
      const rows = (await Promise.all(eventIds.map((id) => deliveriesOf(t, admin.accessToken, id))))
        .flat()
        .filter((r) => r.channel === 'email');
      return rows.every((r) => r.status === 'sent') ? rows : undefined;
    });
    const digestId = email[0].digestId;
    expect(digestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(email.map((r) => r.digestId)).toEqual([digestId, digestId, digestId]);
    expect(mail.messageId).toBe(`<digest-${digestId}@taskwire.test>`);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sink.accepted.filter((m) => m.to.includes(member.email))).toHaveLength(1);
    await put(member, { emailDigest: 'off' });
  });
});
