import { ProcessCluster, startProcessCluster } from '../support/process-cluster';
import { randomBytes } from 'node:crypto';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { HttpClient } from '../support/http-client';
import { TEST_JWT_SECRET, eventually } from '../support/test-app';

/**
 * Email digests across crashes, with real worker processes: the only worker is SIGKILLed while a
 * member's 10 s window holds three emails; a new worker sends the digest when the window closes —
 * and is SIGKILLed in the middle of that SMTP transaction (the sink holds the message before
 * answering 250); the next worker sends it again. The member receives ONE digest listing all three,
 * and every email row ends `sent` with its digestId.
 */
describe('email digests survive a worker killed while a window is open', () => {
  let cluster: ProcessCluster;
  let sink: SmtpSink;
  let release: () => void = () => undefined;
  const env = {
    JWT_SECRET: TEST_JWT_SECRET,
    QUEUE_PREFIX: `tw-crash-${randomBytes(4).toString('hex')}`,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    EMAIL_TRANSPORT: 'smtp',
    ADMIN_EMAIL: 'crash-admin@taskwire.test',
    ADMIN_PASSWORD: 'crash-admin-password',
    RATE_LIMIT: '100000/1m',
    AUTH_RATE_LIMIT: '100000/1m',
    NOTIFY_RETRY_SCHEDULE: '1s,1s,1s',
  };
  beforeAll(async () => {
    sink = await startSmtpSink();
    cluster = await startProcessCluster('digest-crash', env);
  }, 120_000);
  afterAll(async () => {
    release();
    await cluster?.close();
    await sink?.close();
  });
  const start = (role: 'api' | 'worker') => cluster.start(role, { SMTP_URL: sink.url });

  it('sends the digest once, with every held item, after kill -9 while the window is open and while it is being sent', async () => {
    let digestArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (digestArrived = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    sink.answer = (_mail, index) => {
      if (index === 0) {
        digestArrived();
        return { stall: held }; // never answered while that worker lives
      }
      return { accept: true };
    };

    const api = await start('api');
    const http = new HttpClient(`http://127.0.0.1:${api.port}`);
    let worker = await start('worker');

    const login = await http.post('/api/v1/auth/login', { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD });
    const token = login.body.accessToken as string;
    const member = { email: 'digest-member@taskwire.test', password: 'user-password-123' };
    const user = await http.post('/api/v1/users', { ...member, name: 'Di Gest', role: 'member' }, { token });
    expect(user.status).toBe(201);
    const memberToken = (await http.post('/api/v1/auth/login', member)).body.accessToken as string;
    const prefs = await http.put('/api/v1/notification-preferences', { emailDigest: '10s' }, { token: memberToken });
    expect(prefs.body.emailDigest).toBe('10s');

    const taskIds: string[] = [];
    for (const title of ['Crash one', 'Crash two', 'Crash three']) {
      const task = await http.post('/api/v1/tasks', { title }, { token });
      expect((await http.post(`/api/v1/tasks/${task.body.id}/assign`, { assigneeId: user.body.id }, { token })).status).toBe(200);
      taskIds.push(task.body.id as string);
    }
    const emailRows = async () =>
      (
        (await http.get(`/api/v1/deliveries?recipientId=${user.body.id}&channel=email&limit=100`, { token })).body.data as Array<
          Record<string, unknown>
        >
      ).filter((r) => r.eventType === 'task.assigned');
    const heldRows = await eventually(async () => {
      const rows = await emailRows();
      return rows.length === 3 && rows.every((r) => r.digestId && r.status === 'pending') ? rows : undefined;
    }, 30_000);
    const digestId = heldRows[0].digestId;
    expect(heldRows.every((r) => r.digestId === digestId)).toBe(true);

    // 1: the only worker dies while the window is open; it closes while no worker runs.
    worker.child.kill('SIGKILL');
    expect((await worker.exited).signal).toBe('SIGKILL');
    await new Promise((r) => setTimeout(r, 11_000));
    expect(sink.received).toHaveLength(0);

    // 2: the next worker sends the digest, and dies before the sink answered 250.
    worker = await start('worker');
    await arrived;
    worker.child.kill('SIGKILL');
    expect((await worker.exited).signal).toBe('SIGKILL');
    expect(sink.accepted).toHaveLength(0);

    // 3: the next one sends it again: accepted once, with all three items.
    worker = await start('worker');
    const sent = await eventually(
      async () => {
        const rows = await emailRows();
        return rows.length === 3 && rows.every((r) => r.status === 'sent') ? rows : undefined;
      },
      90_000,
      250,
    );
    expect(sent.map((r) => r.digestId)).toEqual([digestId, digestId, digestId]);
    expect(sink.accepted).toHaveLength(1);
    const mail = sink.accepted[0];
    expect(mail.to).toEqual([member.email]);
    expect(mail.subject).toBe('[taskwire] 3 notifications');
    for (const id of taskIds) expect(mail.text).toContain(`/tasks/${id}`);
    expect(mail.messageId).toBe(sink.received[0].messageId); // the same message, resent
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.accepted).toHaveLength(1);
  }, 240_000);
});
