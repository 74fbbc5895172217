import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { apiAs } from '../support/api';
import { Session, adminSession } from '../support/auth-fixtures';
import { HttpReceiver, startHttpReceiver } from '../support/http-receiver';
import { freePort } from '../support/process-runner';
import { TestApp, eventually, startTestApp } from '../support/test-app';
import { DeliveryRow, createTask, deliveriesOf, eventIdOf } from './notification-helpers';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer) console.warn('redis-data-loss.e2e-spec: skipped — `redis-server` is not on PATH (this test starts a private one)');
const describeWithRedis = hasRedisServer ? describe : describe.skip;

const redisCli = (port: number, ...args: string[]) =>
  spawnSync('redis-cli', ['-p', String(port), ...args])
    .stdout?.toString()
    .trim() ?? '';

/**
 * API.md "Failure behaviour": background recovery must survive a queue backend that lost its data.
 * A webhook delivery fails (the receiver answers 500) and waits for its retry as a delayed BullMQ
 * job; then the private Redis is FLUSHALLed — the retry job and the sweeper's job scheduler are
 * gone. The ledger still owes the delivery, so the sweeper (its scheduler re-asserted by the
 * process) must re-queue it and the delivery must end `sent` without a restart. Runs in both CI
 * modes: it brings its own redis-server, whatever REDIS_URL says.
 */
describeWithRedis('deliveries after the queue backend lost its data (private redis-server, FLUSHALL)', () => {
  let redis: ChildProcess | null = null;
  let redisPort = 0;
  let t: TestApp;
  let receiver: HttpReceiver;
  let admin: Session;

  beforeAll(async () => {
    redisPort = await freePort();
    redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await eventually(() => redisCli(redisPort, 'ping') === 'PONG', 10_000);
    receiver = await startHttpReceiver();
    t = await startTestApp({
      env: { REDIS_URL: `redis://127.0.0.1:${redisPort}`, WEBHOOK_ALLOW_PRIVATE: 'true', NOTIFY_RETRY_SCHEDULE: '2s,2s,2s,2s,2s,2s' },
    });
    admin = await adminSession(t);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await receiver?.close();
    const r = redis;
    if (r && r.exitCode === null) {
      const exited = new Promise((resolve) => r.once('exit', resolve));
      r.kill('SIGKILL');
      await exited;
    }
  });

  it('retries a failed delivery whose retry job was flushed away, and it ends sent', async () => {
    let flushed = false;
    receiver.answer = () => ({ status: flushed ? 204 : 500 });
    const hook = await apiAs(t, admin).POST('/api/v1/webhooks', { body: { url: `${receiver.url}/flaky`, events: ['task.created'] } });
    expect(hook.response.status).toBe(201);

    const task = await createTask(t, admin.accessToken, { title: 'Survives a FLUSHALL' });
    const eventId = await eventIdOf(t, admin.accessToken, task.id, 'task.created');
    const webhookRow = async (): Promise<DeliveryRow | undefined> =>
      (await deliveriesOf(t, admin.accessToken, eventId)).find((d) => d.channel === 'webhook');
    const failed = await eventually(async () => {
      const row = await webhookRow();
      return row?.status === 'failed' ? row : undefined;
    }, 30_000);
    expect(failed.nextAttemptAt).not.toBeNull();

    // Redis loses everything: the delayed retry job, the sweeper's scheduler, every queue's keys.
    expect(redisCli(redisPort, 'flushall')).toBe('OK');
    flushed = true;
    const attemptsAtFlush = receiver.requests.length;

    const sent = await eventually(
      async () => {
        const row = await webhookRow();
        return row?.status === 'sent' ? row : undefined;
      },
      60_000,
      250,
    );
    expect(sent.attempts).toBeGreaterThan(failed.attempts);
    expect(receiver.requests.length).toBeGreaterThan(attemptsAtFlush);
    // Nothing was stranded and readiness never lied about it: the process is still ready.
    expect((await t.http.get('/health/ready')).status).toBe(200);
  }, 120_000);
});
