import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTaskwireClient } from '../../clients/typescript/src';
import { AppProcess, ROOT, freePort, waitForReady } from '../support/process-runner';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { TEST_JWT_SECRET, eventually } from '../support/test-app';

/** Well under the ~75 s the default stall detection (30 s lock, 30 s interval) took, and above what ours needs (~10 s). */
const RECOVERY_BOUND_MS = 20_000;

/**
 * Issue 13 item 10: on BullMQ's PostgreSQL backend, a worker is SIGKILLed while an event job is in
 * flight; a new worker must re-run the job soon — with BullMQ's defaults it stayed `active`
 * (and the ledger showed nothing owed) until stall detection fired, about 75 s later.
 * Deterministic: the test holds a SHARE lock on events.handler_runs, so the job blocks inside its
 * first handler's transaction until the worker is killed (the kill ends that transaction).
 * Always the PostgreSQL queue backend (REDIS_URL is not passed on), in both CI modes.
 */
describe('event jobs survive a worker killed mid-job (PostgreSQL queue backend)', () => {
  let databaseUrl: string;
  let dataDir: string;
  let build: string;
  let db: Client;
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    // A build of its own (as worker-crash.e2e-spec.ts): another suite's build cannot pull the code away.
    mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
    build = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'taskwire-event-crash-'));
    execFileSync(
      join(ROOT, 'node_modules', '.bin', 'swc'),
      ['src', 'migrations', '-d', build, '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'],
      { cwd: ROOT },
    );
    databaseUrl = await createSuiteDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'taskwire-event-crash-'));
  }, 120_000);
  afterAll(async () => {
    await db?.end().catch(() => undefined);
    for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.all(processes.map((p) => p.exited));
    if (databaseUrl) await dropSuiteDatabase(databaseUrl);
    rmSync(dataDir, { recursive: true, force: true });
    if (build) rmSync(build, { recursive: true, force: true });
  });

  const env = {
    JWT_SECRET: TEST_JWT_SECRET,
    QUEUE_PREFIX: `tw-event-crash-${randomBytes(4).toString('hex')}`,
    ADMIN_EMAIL: 'event-crash-admin@taskwire.test',
    ADMIN_PASSWORD: 'event-crash-admin-password',
    RATE_LIMIT: '100000/1m',
    AUTH_RATE_LIMIT: '100000/1m',
  };
  const start = async (role: 'api' | 'worker') => {
    const clean = { ...process.env };
    delete clean.DATABASE_URL;
    delete clean.REDIS_URL;
    const port = await freePort();
    const child = spawn(process.execPath, [join(build, 'src', 'main.js')], {
      cwd: ROOT,
      env: {
        ...clean,
        ...env,
        LOG_FORMAT: 'json',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        DATA_DIR: dataDir,
        APP_ROLE: role,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const p: AppProcess = { child, port, output: () => out, exited };
    processes.push(p);
    await waitForReady(p, 60_000);
    return p;
  };

  it('re-runs the in-flight event job within seconds of a new worker starting', async () => {
    const api = await start('api');
    // the API is a child process, not a TestApp: the typed client directly on its URL
    const baseUrl = `http://127.0.0.1:${api.port}`;
    const worker = await start('worker');
    const login = await createTaskwireClient(baseUrl).POST('/api/v1/auth/login', {
      body: { email: env.ADMIN_EMAIL, password: env.ADMIN_PASSWORD },
    });
    const client = createTaskwireClient(baseUrl, { token: login.data!.accessToken });
    const created = await client.POST('/api/v1/users', {
      body: { email: 'event-crash-member@taskwire.test', name: 'Mem Ber', password: 'user-password-123', role: 'member' },
    });
    expect(created.response.status).toBe(201);
    const member = created.data!;
    const createdTask = await client.POST('/api/v1/tasks', { body: { title: 'Assigned while the worker dies' } });
    expect(createdTask.response.status).toBe(201);
    const task = createdTask.data!;

    db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const activeEventJobs = async () =>
      (await db.query<{ id: string }>(`SELECT id FROM bullmq.job WHERE queue = 'events' AND state = 'active'`)).rows.map((r) => r.id);
    // Everything published so far has been handled: the worker is idle.
    await eventually(
      async () =>
        (await db.query(`SELECT 1 FROM events.events e WHERE NOT EXISTS (SELECT 1 FROM events.handler_runs h WHERE h.event_id = e.id)`))
          .rowCount === 0 && (await activeEventJobs()).length === 0,
      30_000,
    );

    // Handlers now block on their handler_runs insert: the next event job stays in flight.
    const holder = new Client({ connectionString: databaseUrl });
    await holder.connect();
    await holder.query('BEGIN');
    await holder.query('LOCK TABLE events.handler_runs IN SHARE MODE');
    expect(
      (await client.POST('/api/v1/tasks/{id}/assign', { params: { path: { id: task.id } }, body: { assigneeId: member.id } })).response
        .status,
    ).toBe(200);
    const [jobId] = await eventually(async () => {
      const ids = await activeEventJobs();
      return ids.length ? ids : undefined;
    }, 30_000);
    const owed = async () => (await client.GET('/api/v1/deliveries', { params: { query: { eventId: jobId } } })).data!;
    expect((await owed()).data).toEqual([]); // the ledger shows nothing owed while the job is stuck

    worker.child.kill('SIGKILL');
    expect((await worker.exited).signal).toBe('SIGKILL');
    await holder.query('ROLLBACK');
    await holder.end();

    await start('worker');
    const readyAt = Date.now();
    const rows = await eventually(
      async () => {
        const { data } = await owed();
        return data.length ? data : undefined;
      },
      RECOVERY_BOUND_MS,
      250,
    );
    const recoveredMs = Date.now() - readyAt;
    expect(rows.map((r) => r.recipientId)).toContain(member.id);
    expect(recoveredMs).toBeLessThan(RECOVERY_BOUND_MS);
    const handled = await db.query(`SELECT handler FROM events.handler_runs WHERE event_id = $1`, [jobId]);
    expect(handled.rowCount).toBeGreaterThan(0);
  }, 180_000);
});
