import { ProcessCluster, startProcessCluster } from '../support/process-cluster';
import { randomBytes } from 'node:crypto';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { createTaskwireClient } from '../../clients/typescript/src';
import { TEST_JWT_SECRET, eventually } from '../support/test-app';

/**
 * A worker process is SIGKILLed while it is sending an email; a new worker finishes the delivery,
 * and the message arrives exactly once. Deterministic: the SMTP sink holds the first message
 * *before* accepting it (no 250 sent), so the killed attempt provably did not deliver.
 */
// Both ways a delivery reaches its send: attempted in the relay's process right after the commit
// (NOTIFY_SEND_AT_RELAY, the default: the sweeper recovers it), or through its queue job (BullMQ's
// stalled-job recovery does).
describe.each([
  ['attempted where it was recorded', 'true'],
  ['through its queue job', 'false'],
])('notifications survive a worker killed mid-delivery (%s)', (_how, sendAtRelay) => {
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
    NOTIFY_SEND_AT_RELAY: sendAtRelay,
  };
  beforeAll(async () => {
    sink = await startSmtpSink();
    cluster = await startProcessCluster('crash', env);
  }, 120_000);
  afterAll(async () => {
    release();
    await cluster?.close();
    await sink?.close();
  });
  const start = (role: 'api' | 'worker') => cluster.start(role, { SMTP_URL: sink.url });

  it('finishes the delivery after a restart and sends it once', async () => {
    let firstArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (firstArrived = resolve));
    const held = new Promise<void>((resolve) => (release = resolve));
    sink.answer = (_mail, index) => {
      if (index === 0) {
        firstArrived();
        return { stall: held }; // never answered while the worker lives
      }
      return { accept: true };
    };

    const api = await start('api');
    // the API is a child process, not a TestApp: the typed client directly on its URL
    const baseUrl = `http://127.0.0.1:${api.port}`;
    let worker = await start('worker');

    const login = await createTaskwireClient(baseUrl).POST('/api/v1/auth/login', {
      body: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
    });
    expect(login.response.status).toBe(200);
    const client = createTaskwireClient(baseUrl, { token: login.data!.accessToken });
    const user = await client.POST('/api/v1/users', {
      body: { email: 'crash-victim@taskwire.test', name: 'Vic Tim', password: 'user-password-123', role: 'member' },
    });
    expect(user.response.status).toBe(201);
    const task = (await client.POST('/api/v1/tasks', { body: { title: 'Survive the crash' } })).data!;
    const taskPath = { params: { path: { id: task.id } } };
    expect((await client.POST('/api/v1/tasks/{id}/assign', { ...taskPath, body: { assigneeId: user.data!.id } })).response.status).toBe(
      200,
    );

    await arrived; // the worker is in the middle of the SMTP transaction
    const eventId = await eventually(async () => {
      const { data } = await client.GET('/api/v1/tasks/{id}/events', taskPath);
      return data!.data.find((e) => e.type === 'task.assigned')?.id;
    });
    const emailRow = async () =>
      (await client.GET('/api/v1/deliveries', { params: { query: { eventId, channel: 'email' } } })).data!.data[0];
    expect(await emailRow()).toMatchObject({ status: 'pending', attempts: 1, sentAt: null }); // claimed (sending) shows as pending

    worker.child.kill('SIGKILL');
    expect((await worker.exited).signal).toBe('SIGKILL');
    expect(sink.accepted).toHaveLength(0);

    worker = await start('worker');
    const sent = await eventually(
      async () => {
        const row = await emailRow();
        return row?.status === 'sent' ? row : undefined;
      },
      90_000,
      250,
    );
    expect(sent).toMatchObject({ attempts: 2, recipientId: user.data!.id });
    expect(sink.accepted).toHaveLength(1);
    expect(sink.accepted[0].to).toEqual(['crash-victim@taskwire.test']);
    expect(sink.accepted[0].messageId).toBe(sink.received[0].messageId); // the same message, resent
    // Nothing else is on its way.
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.accepted).toHaveLength(1);
  }, 180_000);
});
