import { ProcessCluster, startProcessCluster } from '../support/process-cluster';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createTaskwireClient } from '../../clients/typescript/src';
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
  let cluster: ProcessCluster;
  let databaseUrl: string;
  let db: Client;
  const env = {
    JWT_SECRET: TEST_JWT_SECRET,
    QUEUE_PREFIX: `tw-event-crash-${randomBytes(4).toString('hex')}`,
    ADMIN_EMAIL: 'event-crash-admin@taskwire.test',
    ADMIN_PASSWORD: 'event-crash-admin-password',
    RATE_LIMIT: '100000/1m',
    AUTH_RATE_LIMIT: '100000/1m',
  };
  beforeAll(async () => {
    cluster = await startProcessCluster('event-crash', env);
    databaseUrl = cluster.databaseUrl;
  }, 120_000);
  afterAll(async () => {
    await db?.end().catch(() => undefined);
    await cluster?.close();
  });
  const start = (role: 'api' | 'worker') => cluster.start(role);

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
