import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, ROOT, freePort, waitForReady } from '../support/process-runner';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
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
    build = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'taskwire-digest-crash-'));
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
