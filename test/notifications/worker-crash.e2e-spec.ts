import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, ROOT, freePort, waitForReady } from '../support/process-runner';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { createTaskwireClient } from '../../clients/typescript/src';
import { TEST_JWT_SECRET, eventually } from '../support/test-app';

/**
 * A worker process is SIGKILLed while it is sending an email; a new worker finishes the delivery,
 * and the message arrives exactly once. Deterministic: the SMTP sink holds the first message
 * *before* accepting it (no 250 sent), so the killed attempt provably did not deliver.
 */
describe('notifications survive a worker killed mid-delivery', () => {
  let sink: SmtpSink;
  let databaseUrl: string;
  let dataDir: string;
  let release: () => void = () => undefined;
  const processes: AppProcess[] = [];

  let build: string;

  beforeAll(async () => {
    // A build of its own: another suite's `scripts/build.js` (which empties dist/) cannot pull the
    // code from under these processes. Under node_modules/ so Node finds the dependencies.
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    build = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'taskwire-crash-'));
    execFileSync(
      join(ROOT, 'node_modules', '.bin', 'swc'),
      ['src', 'migrations', '-d', build, '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'],
      { cwd: ROOT },
    );
    sink = await startSmtpSink();
    databaseUrl = await createSuiteDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'taskwire-crash-'));
  }, 120_000);
  afterAll(async () => {
    release();
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    await sink?.close();
    if (databaseUrl) await dropSuiteDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
    if (build) rmSync(build, { recursive: true, force: true });
  });

  /** Like process-runner's startProcess (`node main.js` as a real OS process), from our own build. */
  const spawnApp = (processEnv: Record<string, string>, port: number): AppProcess => {
    const clean = { ...process.env };
    delete clean.DATABASE_URL;
    delete clean.REDIS_URL;
    const child = spawn(process.execPath, [join(build, 'src', 'main.js')], {
      cwd: ROOT,
      env: { ...clean, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...processEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    return { child, port, output: () => out, exited };
  };

  const env = {
    DATABASE_URL: '',
    DATA_DIR: '',
    JWT_SECRET: TEST_JWT_SECRET,
    QUEUE_PREFIX: `tw-crash-${randomBytes(4).toString('hex')}`,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    EMAIL_TRANSPORT: 'smtp',
    SMTP_URL: '',
    ADMIN_EMAIL: 'crash-admin@taskwire.test',
    ADMIN_PASSWORD: 'crash-admin-password',
    RATE_LIMIT: '100000/1m',
    AUTH_RATE_LIMIT: '100000/1m',
    NOTIFY_RETRY_SCHEDULE: '1s,1s,1s',
  };
  const start = async (role: 'api' | 'worker') => {
    const p = spawnApp({ ...env, DATABASE_URL: databaseUrl, DATA_DIR: dataDir, SMTP_URL: sink.url, APP_ROLE: role }, await freePort());
    processes.push(p);
    await waitForReady(p, 60_000);
    return p;
  };

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
