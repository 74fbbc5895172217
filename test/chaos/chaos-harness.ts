import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { HttpClient, TestResponse } from '../support/http-client';
import { HttpReceiver, startHttpReceiver } from '../support/http-receiver';
import { AppProcess, ROOT, freePort, waitForReady } from '../support/process-runner';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { createSuiteDatabase, dropSuiteDatabase } from '../support/test-database';
import { TEST_JWT_SECRET } from '../support/test-app';

/**
 * Chaos and scale-out harness (issue "Reliability and security proof").
 *
 * Two API processes and two worker processes (built dist/, real OS processes) against PostgreSQL and
 * either a private redis-server ('redis' mode) or BullMQ on PostgreSQL with a shared embedded
 * PostgreSQL ('embedded' mode: no DATABASE_URL / REDIS_URL, one DATA_DIR). A steady load of task
 * writes alternates between the two API processes while the harness SIGKILLs and restarts workers,
 * restarts Redis, and restarts a relay (graceful worker restart). Then it waits for the system to
 * drain and audits: every successful write's event is stored exactly once, and every delivery the
 * rules of docs/api.md call for (computed here, independently of the app's planner, from the stored
 * events) reached the SMTP sink / webhook receiver / in-app inbox exactly once.
 */

export type ChaosMode = 'redis' | 'embedded';

export interface ChaosOptions {
  mode: ChaosMode;
  /** How long the write load (and the chaos) runs. */
  durationMs: number;
  /** Concurrent writer loops (each runs task life cycles one request at a time). */
  writers: number;
  /** Pause between two requests of one writer (keeps CPU sane on a shared machine). */
  thinkMs: number;
  /** Random pause between two chaos actions. */
  chaosEveryMs: [number, number];
  /** Upper bound for the drain after the load stops. */
  drainTimeoutMs: number;
  /** The last part of the load runs without chaos (leases of killed workers expire meanwhile). */
  quietTailMs: number;
  /** Embedded mode: also SIGKILL the process that owns the embedded PostgreSQL. */
  killEmbeddedOwner: boolean;
  log: (line: string) => void;
}

export function chaosOptionsFromEnv(mode: ChaosMode, defaults: Partial<ChaosOptions>): ChaosOptions {
  const num = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
  const d = {
    durationMs: 20_000,
    writers: 3,
    thinkMs: 40,
    chaosEveryMs: [3000, 6000] as [number, number],
    drainTimeoutMs: 150_000,
    quietTailMs: 0,
    ...defaults,
  };
  return {
    mode,
    durationMs: num('CHAOS_DURATION_S', d.durationMs / 1000) * 1000,
    writers: num('CHAOS_WRITERS', d.writers),
    thinkMs: num('CHAOS_THINK_MS', d.thinkMs),
    chaosEveryMs: [num('CHAOS_MIN_GAP_MS', d.chaosEveryMs[0]), num('CHAOS_MAX_GAP_MS', d.chaosEveryMs[1])],
    drainTimeoutMs: num('CHAOS_DRAIN_S', d.drainTimeoutMs / 1000) * 1000,
    quietTailMs: num('CHAOS_QUIET_TAIL_S', d.quietTailMs / 1000) * 1000,
    killEmbeddedOwner: process.env.CHAOS_KILL_EMBEDDED_OWNER === 'true' || (defaults.killEmbeddedOwner ?? false),
    log: defaults.log ?? ((line) => process.stderr.write(`[chaos ${new Date().toISOString()}] ${line}\n`)),
  };
}

export interface ChaosCounts {
  mode: ChaosMode;
  durationS: number;
  writesOk: number;
  writesFailed: number;
  writesFailedByStatus: Record<string, number>;
  taskFlows: number;
  workerKills: number;
  workerGracefulRestarts: number;
  redisRestarts: number;
  embeddedOwnerKills: number;
  events: number;
  taskEvents: number;
  eventsExpectedFromWrites: number;
  eventsMissing: number;
  eventsUnexplained: number;
  eventDuplicates: number;
  emailExpected: number;
  emailReceivedUnique: number;
  emailLost: number;
  emailUnexpected: number;
  emailResentSameDelivery: number;
  emailDuplicatesDistinctDelivery: number;
  emailRejectedBySink: number;
  webhookExpected: number;
  webhookReceivedUnique: number;
  webhookLost: number;
  webhookUnexpected: number;
  webhookResentSameDelivery: number;
  webhookDuplicatesDistinctDelivery: number;
  webhookBadSignature: number;
  inAppExpected: number;
  inAppStored: number;
  inAppLost: number;
  inAppDuplicates: number;
  inAppUnexpected: number;
  /** Tasks created with a due date inside the run, and their reminder events found (each must be exactly once). */
  reminderTasks: number;
  remindersExpected: number;
  remindersFound: number;
  ledgerByStatus: Record<string, number>;
  drainMs: number;
  /** How long each process start took until /health/ready (initial starts and restarts). */
  startMs: number[];
  problems: string[];
  /** Details of the crash-window re-sends (delivery ids), for the report. */
  resends: string[];
}

// ------------------------------------------------------------------ rules of docs/api.md, restated
/** docs/api.md "Notifications": who is told, per channel (never the actor). */
type AudienceRole = 'assignee' | 'previousAssignee' | 'creator' | 'watchers';
/** `emailAudience`: who of `audience` is also told by email, when not all of them. */
const RULES: Record<string, { audience: AudienceRole[]; email: boolean; emailAudience?: AudienceRole[] }> = {
  'task.assigned': { audience: ['assignee'], email: true },
  'task.unassigned': { audience: ['previousAssignee'], email: false },
  'task.started': { audience: ['creator'], email: false },
  'task.completed': { audience: ['creator', 'watchers'], email: true },
  'task.cancelled': { audience: ['assignee', 'watchers'], email: true },
  'task.commented': { audience: ['creator', 'assignee', 'watchers'], email: false },
  'task.updated': { audience: ['assignee', 'watchers'], email: false },
  'task.due_soon': { audience: ['assignee'], email: true },
  'task.overdue': { audience: ['assignee', 'creator', 'watchers'], email: true, emailAudience: ['assignee', 'creator'] },
};

function recipientsOf(e: StoredEvent, watchers: string[], roles?: AudienceRole[]): string[] {
  const rule = RULES[e.type];
  if (!rule || e.aggregate_type !== 'task') return [];
  const p = e.payload as { creatorId?: string; assigneeId?: string | null; previousAssigneeId?: string | null };
  const out = new Set<string>();
  for (const role of roles ?? rule.audience) {
    if (role === 'assignee' && p.assigneeId) out.add(p.assigneeId);
    if (role === 'previousAssignee' && p.previousAssigneeId) out.add(p.previousAssigneeId);
    if (role === 'creator' && p.creatorId) out.add(p.creatorId);
    if (role === 'watchers') for (const w of watchers) out.add(w);
  }
  if (e.actor_id) out.delete(e.actor_id);
  return [...out];
}

interface StoredEvent {
  id: string;
  seq: string;
  type: string;
  aggregate_type: string;
  aggregate_id: string;
  actor_id: string | null;
  idempotency_key: string;
  payload: Record<string, unknown>;
}

/** DUE_SOON_LEAD of the run: short, so reminders of tasks due inside the run fire during the chaos. */
const REMINDER_LEAD_S = 3;

// ------------------------------------------------------------------ infrastructure pieces
interface RedisServer {
  port: number;
  url: string;
  restart(hard: boolean): Promise<void>;
  stop(): Promise<void>;
}

async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'taskwire-chaos-redis-'));
  let child: ChildProcess;
  // AOF with fsync on every write: a restart (even SIGKILL) loses no acknowledged job. BullMQ needs
  // a durable Redis: the relay marks events published once Redis accepted the jobs.
  const launch = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--maxmemory-policy',
        'noeviction',
        '--logfile',
        join(dir, 'redis.log'),
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200; i++) {
      try {
        execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe' });
        return;
      } catch {
        await sleep(50);
      }
    }
    throw new Error('redis-server did not start');
  };
  const stopChild = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  await launch();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    restart: async (hard) => {
      await stopChild(hard ? 'SIGKILL' : 'SIGTERM');
      await sleep(500 + Math.random() * 1500);
      await launch();
    },
    stop: async () => {
      await stopChild('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

interface Role {
  name: string;
  role: 'api' | 'worker';
  proc: AppProcess | null;
}

interface Session {
  name: string;
  id: string;
  email: string;
  role: string;
  token: string;
}

interface WriteRecord {
  ok: boolean;
  status: number;
  /** Event idempotency keys this write must have stored. */
  keys: string[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];

// ------------------------------------------------------------------ the run
export async function runChaos(o: ChaosOptions): Promise<ChaosCounts> {
  const log = o.log;
  // A private build (same swc settings as scripts/build.js): other work on this checkout rebuilds
  // dist/ (rm -rf + compile), and a worker restarted in that moment would not start.
  const distDir = join(ROOT, 'test-artifacts', `chaos-dist-${randomBytes(4).toString('hex')}`);
  execFileSync(
    join(ROOT, 'node_modules', '.bin', 'swc'),
    ['src', 'migrations', '-d', distDir, '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'],
    { cwd: ROOT, stdio: 'pipe' },
  );
  const mainJs = join(distDir, 'src', 'main.js');

  const sink: SmtpSink = await startSmtpSink();
  const receiver: HttpReceiver = await startHttpReceiver();
  const redis = o.mode === 'redis' ? await startRedis() : null;
  const suiteDb = o.mode === 'redis' ? await createSuiteDatabase('taskwire_test_chaos') : null;
  const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-chaos-'));
  const admin = { email: 'chaos-admin@taskwire.test', password: 'chaos-admin-password' };
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: TEST_JWT_SECRET,
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    EMAIL_TRANSPORT: 'smtp',
    SMTP_URL: sink.url,
    WEBHOOK_ALLOW_PRIVATE: 'true',
    NOTIFY_RETRY_SCHEDULE: '1s,2s,4s,8s,15s,30s,1m',
    RATE_LIMIT: '1000000/1m',
    AUTH_RATE_LIMIT: '1000000/1m',
    DB_POOL_SIZE: '6',
    SHUTDOWN_TIMEOUT: '10s',
    QUEUE_PREFIX: `tw-chaos-${randomBytes(4).toString('hex')}`,
    DUE_SOON_LEAD: `${REMINDER_LEAD_S}s`,
    ...(suiteDb ? { DATABASE_URL: suiteDb } : {}),
    ...(redis ? { REDIS_URL: redis.url } : {}),
  };

  const roles: Role[] = [
    { name: 'worker1', role: 'worker', proc: null },
    { name: 'api1', role: 'api', proc: null },
    { name: 'api2', role: 'api', proc: null },
    { name: 'worker2', role: 'worker', proc: null },
  ];
  const byName = (n: string) => roles.find((r) => r.name === n)!;
  const start = async (r: Role) => {
    const port = r.proc?.port ?? (await freePort());
    r.proc = startProcess({ ...env, APP_ROLE: r.role }, port, mainJs);
    const ms = await waitForReady(r.proc, 180_000);
    counts.startMs.push(ms);
  };
  const alive = (r: Role) => !!r.proc && r.proc.child.exitCode === null && r.proc.child.signalCode === null;

  const counts: ChaosCounts = {
    mode: o.mode,
    durationS: o.durationMs / 1000,
    writesOk: 0,
    writesFailed: 0,
    writesFailedByStatus: {},
    taskFlows: 0,
    workerKills: 0,
    workerGracefulRestarts: 0,
    redisRestarts: 0,
    embeddedOwnerKills: 0,
    events: 0,
    taskEvents: 0,
    eventsExpectedFromWrites: 0,
    eventsMissing: 0,
    eventsUnexplained: 0,
    eventDuplicates: 0,
    emailExpected: 0,
    emailReceivedUnique: 0,
    emailLost: 0,
    emailUnexpected: 0,
    emailResentSameDelivery: 0,
    emailDuplicatesDistinctDelivery: 0,
    emailRejectedBySink: 0,
    webhookExpected: 0,
    webhookReceivedUnique: 0,
    webhookLost: 0,
    webhookUnexpected: 0,
    webhookResentSameDelivery: 0,
    webhookDuplicatesDistinctDelivery: 0,
    webhookBadSignature: 0,
    inAppExpected: 0,
    inAppStored: 0,
    inAppLost: 0,
    inAppDuplicates: 0,
    inAppUnexpected: 0,
    reminderTasks: 0,
    remindersExpected: 0,
    remindersFound: 0,
    ledgerByStatus: {},
    drainMs: 0,
    startMs: [],
    problems: [],
    resends: [],
  };

  let db: Client | null = null;
  try {
    // worker1 first: it runs the migrations (and, embedded, owns PostgreSQL); the rest attach.
    await start(byName('worker1'));
    await Promise.all(roles.slice(1).map(start));
    log(`${o.mode}: 2 api + 2 worker processes ready`);

    db = new Client({ connectionString: auditDatabaseUrl(o.mode, suiteDb, dataDir) });
    await db.connect();
    db.on('error', () => undefined);

    const apis = () => [byName('api1'), byName('api2')].map((r) => new HttpClient(`http://127.0.0.1:${r.proc!.port}`));
    let rr = 0;
    const http = () => apis()[rr++ % 2];

    const loginAs = async (name: string, email: string, password: string): Promise<Session> => {
      const res = await http().post('/api/v1/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
      return { name, id: res.body.user.id, email, role: res.body.user.role, token: res.body.accessToken };
    };
    const adm = await loginAs('admin', admin.email, admin.password);

    // Webhook endpoint for every event type; only events after it exists are expected there, so
    // everything before is handled first (handler_runs of the notifications publisher).
    await waitUntil(
      async () =>
        (
          await db!.query(
            `SELECT count(*)::int n FROM events.events e WHERE NOT EXISTS (SELECT 1 FROM events.handler_runs h WHERE h.event_id = e.id AND h.handler = 'notifications.publisher')`,
          )
        ).rows[0].n === 0,
      60_000,
      'pre-existing events handled',
    );
    const hook = await http().post(
      '/api/v1/webhooks',
      { url: `${receiver.url}/hook`, events: ['*'], description: 'chaos' },
      { token: adm.token },
    );
    if (hook.status !== 201) throw new Error(`POST /webhooks: ${hook.status} ${hook.text}`);
    const secret = hook.body.secret as string;
    const boundarySeq = String((await db.query(`SELECT coalesce(max(seq), 0)::text s FROM events.events`)).rows[0].s);
    const verifier = new Webhook(secret);
    const sigOk = new Map<number, boolean>();
    receiver.answer = (req, index) => {
      try {
        verifier.verify(req.body, req.headers as Record<string, string>);
        sigOk.set(index, true);
      } catch {
        sigOk.set(index, false);
      }
      return { status: 200 };
    };

    const users: Session[] = [adm];
    for (const [name, role] of [
      ['mgr1', 'manager'],
      ['mgr2', 'manager'],
      ['mem1', 'member'],
      ['mem2', 'member'],
      ['mem3', 'member'],
    ] as const) {
      const email = `chaos-${name}-${randomBytes(3).toString('hex')}@taskwire.test`;
      const res = await http().post(
        '/api/v1/users',
        { email, name: `Chaos ${name}`, password: 'user-password-123', role },
        { token: adm.token },
      );
      if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${res.text}`);
      users.push(await loginAs(name, email, 'user-password-123'));
    }
    const u = (n: string) => users.find((s) => s.name === n)!;
    const managers = [u('admin'), u('mgr1'), u('mgr2')];
    const members = [u('mem1'), u('mem2'), u('mem3')];

    // ------------------------------------------------------------------ load
    const writes: WriteRecord[] = [];
    let stopLoad = false;
    const write = async (fn: (c: HttpClient) => Promise<TestResponse>, keysOf: (body: any) => string[]): Promise<any | null> => {
      let res: TestResponse;
      try {
        res = await fn(http());
      } catch (err) {
        writes.push({ ok: false, status: 0, keys: [] });
        counts.writesFailedByStatus['network'] = (counts.writesFailedByStatus['network'] ?? 0) + 1;
        return null;
      }
      const ok = res.status >= 200 && res.status < 300;
      writes.push({ ok, status: res.status, keys: ok ? keysOf(res.body) : [] });
      if (!ok) counts.writesFailedByStatus[String(res.status)] = (counts.writesFailedByStatus[String(res.status)] ?? 0) + 1;
      await sleep(o.thinkMs);
      return ok ? res.body : null;
    };
    const change = (id: string, verb: string) => (b: any) => [`task:${id}:v${b.version}:${verb}`];
    const loadStartedAt = Date.now();
    const reminderKeys = new Set<string>();

    // A task due inside the run (DUE_SOON_LEAD = REMINDER_LEAD_S) left open: its task.due_soon and
    // task.overdue come from the workers' reminder scan, across the kills and restarts below.
    const reminderFlow = async () => {
      const creator = pick(managers.slice(1));
      const assignee = pick(members);
      const roomMs = o.durationMs - (Date.now() - loadStartedAt) - 2000;
      const dueAt = new Date(
        Date.now() + REMINDER_LEAD_S * 1000 + 1000 + Math.random() * Math.max(0, roomMs - REMINDER_LEAD_S * 1000 - 1000),
      ).toISOString();
      const created = await write(
        (c) =>
          c.post(
            '/api/v1/tasks',
            { title: `chaos due ${randomBytes(3).toString('hex')}`, dueAt, assigneeId: assignee.id },
            { token: creator.token },
          ),
        (b) => [`task:${b.id}:created`, `task:${b.id}:v1:assigned`, `task:${b.id}:due_soon:${b.dueAt}`, `task:${b.id}:overdue:${b.dueAt}`],
      );
      if (!created) return;
      counts.reminderTasks += 1;
      reminderKeys.add(`task:${created.id}:due_soon:${created.dueAt}`);
      reminderKeys.add(`task:${created.id}:overdue:${created.dueAt}`);
      for (const w of managers)
        if (w.id !== creator.id && Math.random() < 0.4)
          await write(
            (c) => c.put(`/api/v1/tasks/${created.id}/watchers/me`, undefined, { token: w.token }),
            () => [],
          );
    };

    const flow = async () => {
      if (Math.random() < 0.2 && o.durationMs - (Date.now() - loadStartedAt) > (REMINDER_LEAD_S + 4) * 1000) return reminderFlow();
      const creator = Math.random() < 0.5 ? pick(managers.slice(1)) : pick(members);
      const selfAssign = creator.role === 'member' && Math.random() < 0.4;
      const created = await write(
        (c) =>
          c.post(
            '/api/v1/tasks',
            { title: `chaos ${randomBytes(3).toString('hex')}`, ...(selfAssign ? { assigneeId: creator.id } : {}) },
            { token: creator.token },
          ),
        (b) => [`task:${b.id}:created`, ...(b.assigneeId ? [`task:${b.id}:v1:assigned`] : [])],
      );
      if (!created) return;
      const id = created.id as string;
      // Watchers before any event that tells watchers (their set is read when the event is handled).
      for (const w of managers)
        if (w.id !== creator.id && Math.random() < 0.4)
          await write(
            (c) => c.put(`/api/v1/tasks/${id}/watchers/me`, undefined, { token: w.token }),
            () => [],
          );
      let assignee: Session | null = selfAssign ? creator : null;
      if (!assignee) {
        const target = pick(members);
        const by = pick(managers);
        if (
          !(await write(
            (c) => c.post(`/api/v1/tasks/${id}/assign`, { assigneeId: target.id }, { token: by.token }),
            change(id, 'assigned'),
          ))
        )
          return;
        assignee = target;
      }
      const visible = [...managers, creator, assignee];
      if (Math.random() < 0.5)
        await write(
          (c) => c.post(`/api/v1/tasks/${id}/comments`, { body: 'chaos comment' }, { token: pick(visible).token }),
          (b) => [`task:${id}:comment:${b.id}`],
        );
      if (Math.random() < 0.3)
        await write(
          (c) =>
            c.patch(
              `/api/v1/tasks/${id}`,
              { title: `chaos edited ${randomBytes(2).toString('hex')}` },
              { token: pick([creator, ...managers]).token },
            ),
          change(id, 'updated'),
        );
      if (Math.random() < 0.15) {
        if (
          !(await write(
            (c) => c.post(`/api/v1/tasks/${id}/transition`, { state: 'draft' }, { token: assignee!.token }),
            change(id, 'unassigned'),
          ))
        )
          return;
        const target = pick(members);
        if (
          !(await write(
            (c) => c.post(`/api/v1/tasks/${id}/assign`, { assigneeId: target.id }, { token: pick(managers).token }),
            change(id, 'assigned'),
          ))
        )
          return;
        assignee = target;
      }
      if (
        !(await write(
          (c) => c.post(`/api/v1/tasks/${id}/transition`, { state: 'in_progress' }, { token: assignee!.token }),
          change(id, 'started'),
        ))
      )
        return;
      if (Math.random() < 0.2) {
        if (
          !(await write(
            (c) => c.post(`/api/v1/tasks/${id}/transition`, { state: 'assigned' }, { token: assignee!.token }),
            change(id, 'paused'),
          ))
        )
          return;
        if (
          !(await write(
            (c) => c.post(`/api/v1/tasks/${id}/transition`, { state: 'in_progress' }, { token: pick(managers).token }),
            change(id, 'started'),
          ))
        )
          return;
      }
      if (Math.random() < 0.3)
        await write(
          (c) => c.post(`/api/v1/tasks/${id}/comments`, { body: 'chaos comment 2' }, { token: pick([...managers, assignee!]).token }),
          (b) => [`task:${id}:comment:${b.id}`],
        );
      if (Math.random() < 0.7)
        await write(
          (c) => c.post(`/api/v1/tasks/${id}/transition`, { state: 'completed' }, { token: pick([assignee!, ...managers]).token }),
          change(id, 'completed'),
        );
      else
        await write(
          (c) => c.post(`/api/v1/tasks/${id}/transition`, { state: 'cancelled', reason: 'chaos' }, { token: pick(managers).token }),
          change(id, 'cancelled'),
        );
      counts.taskFlows += 1;
    };
    const writers = Array.from({ length: o.writers }, async () => {
      while (!stopLoad) await flow();
    });

    // ------------------------------------------------------------------ chaos
    // Actions cycle through every kind (so even a short run does each), victims are random, and a
    // killed worker is restarted in the background (the next action does not wait for it).
    let stopChaos = false;
    const restarting = new Set<string>();
    const restarts: Promise<void>[] = [];
    const embeddedOwner = 'worker1';
    const cycle = ['kill', ...(redis ? ['redis'] : []), 'kill', 'relay-restart', ...(redis ? ['redis'] : [])];
    const chaos = (async () => {
      for (let n = 0; !stopChaos; n++) {
        await sleep(o.chaosEveryMs[0] + Math.random() * (o.chaosEveryMs[1] - o.chaosEveryMs[0]));
        if (stopChaos) break;
        const action = cycle[n % cycle.length];
        try {
          if (action === 'redis') {
            const hard = counts.redisRestarts % 2 === 0;
            log(`restarting redis (${hard ? 'SIGKILL' : 'SIGTERM'})`);
            await redis!.restart(hard);
            counts.redisRestarts += 1;
            continue;
          }
          const candidates = roles.filter(
            (r) =>
              r.role === 'worker' &&
              alive(r) &&
              !restarting.has(r.name) &&
              (o.mode !== 'embedded' || o.killEmbeddedOwner || r.name !== embeddedOwner),
          );
          if (!candidates.length) continue;
          const victim = pick(candidates);
          restarting.add(victim.name);
          if (action === 'kill') {
            log(`kill -9 ${victim.name} (pid ${victim.proc!.child.pid})`);
            victim.proc!.child.kill('SIGKILL');
            await victim.proc!.exited;
            counts.workerKills += 1;
            if (o.mode === 'embedded' && victim.name === embeddedOwner) counts.embeddedOwnerKills += 1;
          } else {
            log(`graceful restart (relay) of ${victim.name}`);
            victim.proc!.child.kill('SIGTERM');
            await victim.proc!.exited;
            counts.workerGracefulRestarts += 1;
          }
          restarts.push(
            (async () => {
              await sleep(300 + Math.random() * 2000);
              for (let attempt = 1; ; attempt++) {
                try {
                  await start(victim);
                  break;
                } catch (err) {
                  if (attempt >= 3) throw err;
                  log(`restart of ${victim.name} failed (attempt ${attempt}), again: ${(err as Error).message.slice(0, 300)}`);
                }
              }
              log(`${victim.name} back (pid ${victim.proc!.child.pid})`);
            })()
              .catch((err: Error) => {
                counts.problems.push(`restart of ${victim.name} failed: ${err.message.split('\n')[0]}`);
                log(`restart of ${victim.name} failed: ${err.message.slice(0, 600)}`);
              })
              .finally(() => restarting.delete(victim.name)),
          );
        } catch (err) {
          counts.problems.push(`chaos action ${action} failed: ${(err as Error).message.split('\n')[0]}`);
          log(`chaos action ${action} failed: ${(err as Error).message.slice(0, 400)}`);
        }
      }
    })();

    const loadStarted = Date.now();
    let chaosStopped = false;
    while (Date.now() - loadStarted < o.durationMs) {
      await sleep(Math.min(5000, Math.max(100, o.durationMs - (Date.now() - loadStarted))));
      if (!chaosStopped && Date.now() - loadStarted >= o.durationMs - o.quietTailMs) {
        chaosStopped = stopChaos = true;
        log('chaos stops (quiet tail of the load)');
      }
      log(
        `load: ${writes.length} writes (${writes.filter((w) => !w.ok).length} failed), ${counts.taskFlows} flows, kills ${counts.workerKills}, redis restarts ${counts.redisRestarts}, relay restarts ${counts.workerGracefulRestarts}`,
      );
    }
    stopChaos = true;
    await chaos;
    await Promise.all(restarts);
    stopLoad = true;
    await Promise.all(writers);
    for (const r of roles) if (!alive(r)) await start(r);
    counts.writesOk = writes.filter((w) => w.ok).length;
    counts.writesFailed = writes.length - counts.writesOk;

    // ------------------------------------------------------------------ drain
    const drainStart = Date.now();
    let lastSeen = -1;
    let stableSince = 0;
    await waitUntil(
      async () => {
        const { rows } = await db!.query(`
        SELECT (SELECT count(*) FROM events.events WHERE published_at IS NULL)::int AS unpublished,
               (SELECT count(*) FROM events.events e WHERE NOT EXISTS (SELECT 1 FROM events.handler_runs h WHERE h.event_id = e.id AND h.handler = 'notifications.publisher'))::int AS unhandled,
               (SELECT count(*) FROM notifications.deliveries WHERE status IN ('pending', 'sending', 'failed'))::int AS open,
               (SELECT count(*) FROM tasks.task_reminders WHERE fired_at IS NULL)::int AS reminders`);
        const seen = sink.received.length + receiver.requests.length;
        if (seen !== lastSeen) {
          lastSeen = seen;
          stableSince = Date.now();
        }
        const r = rows[0];
        if (Date.now() - drainStart > 0 && (Date.now() - drainStart) % 10_000 < 600)
          log(`drain: unpublished ${r.unpublished}, unhandled ${r.unhandled}, open deliveries ${r.open}`);
        return r.unpublished === 0 && r.unhandled === 0 && r.open === 0 && r.reminders === 0 && Date.now() - stableSince > 2000;
      },
      o.drainTimeoutMs,
      'drain (outbox empty, every event handled, no open delivery, every reminder fired)',
    ).catch((err: Error) => counts.problems.push(err.message));
    counts.drainMs = Date.now() - drainStart;

    // ------------------------------------------------------------------ audit
    const events: StoredEvent[] = (
      await db.query(
        `SELECT id, seq::text, type, aggregate_type, aggregate_id, actor_id, idempotency_key, payload FROM events.events ORDER BY seq`,
      )
    ).rows;
    counts.events = events.length;
    const taskEvents = events.filter((e) => e.aggregate_type === 'task');
    counts.taskEvents = taskEvents.length;
    const byKey = new Map<string, number>();
    for (const e of events) byKey.set(e.idempotency_key, (byKey.get(e.idempotency_key) ?? 0) + 1);
    counts.eventDuplicates = [...byKey.values()].filter((n) => n > 1).length;
    const expectedKeys = new Set(writes.flatMap((w) => w.keys));
    counts.eventsExpectedFromWrites = expectedKeys.size;
    const missing = [...expectedKeys].filter((k) => !byKey.has(k));
    counts.eventsMissing = missing.length;
    if (missing.length) counts.problems.push(`events missing for successful writes: ${missing.slice(0, 10).join(', ')}`);
    // Task events nobody asked for: possible only for writes whose response was lost (failed writes).
    counts.eventsUnexplained = taskEvents.filter((e) => !expectedKeys.has(e.idempotency_key)).length;
    const failedAfterSend = writes.filter((w) => !w.ok && (w.status === 0 || w.status >= 500)).length;
    counts.remindersExpected = reminderKeys.size;
    counts.remindersFound = [...reminderKeys].filter((k) => byKey.get(k) === 1).length;
    if (counts.remindersFound !== counts.remindersExpected)
      counts.problems.push(`reminders recorded exactly once: ${counts.remindersFound} of ${counts.remindersExpected}`);
    if (counts.eventsUnexplained > failedAfterSend * 2)
      counts.problems.push(
        `${counts.eventsUnexplained} task events match no write (only ${failedAfterSend} writes failed without an answer or with 5xx)`,
      );

    const watcherRows: Array<{ task_id: string; user_id: string }> = (await db.query(`SELECT task_id, user_id FROM tasks.task_watchers`))
      .rows;
    const watchersOf = new Map<string, string[]>();
    for (const w of watcherRows) watchersOf.set(w.task_id, [...(watchersOf.get(w.task_id) ?? []), w.user_id]);
    const emailOf = new Map(users.map((s) => [s.id, s.email.toLowerCase()]));

    const expectedEmail = new Set<string>();
    const expectedInApp = new Set<string>();
    for (const e of taskEvents) {
      const rule = RULES[e.type];
      if (!rule) continue;
      for (const r of recipientsOf(e, watchersOf.get(e.aggregate_id) ?? [])) {
        expectedInApp.add(`${e.id}|${r}`);
        if (rule.email && !rule.emailAudience) expectedEmail.add(`${e.id}|${r}`);
      }
      if (rule.emailAudience)
        for (const r of recipientsOf(e, watchersOf.get(e.aggregate_id) ?? [], rule.emailAudience)) expectedEmail.add(`${e.id}|${r}`);
    }
    const deliveries: Array<{
      id: string;
      event_id: string;
      channel: string;
      recipient_id: string | null;
      status: string;
      attempts: number;
    }> = (await db.query(`SELECT id, event_id, channel, recipient_id, status, attempts FROM notifications.deliveries`)).rows;
    const deliveryById = new Map(deliveries.map((d) => [d.id, d]));
    for (const d of deliveries)
      counts.ledgerByStatus[`${d.channel}:${d.status}`] = (counts.ledgerByStatus[`${d.channel}:${d.status}`] ?? 0) + 1;

    // Email: dedupe key = (event id, recipient) from the ledger row named by the message.
    counts.emailExpected = expectedEmail.size;
    counts.emailRejectedBySink = sink.received.length - sink.accepted.length;
    const emailSeen = new Map<string, string[]>();
    for (const mail of sink.accepted) {
      const deliveryId = mail.headers['x-taskwire-delivery'];
      const d = deliveryId ? deliveryById.get(deliveryId) : undefined;
      if (!d || !d.recipient_id) {
        counts.emailUnexpected += 1;
        counts.problems.push(`email without a known delivery: ${mail.messageId}`);
        continue;
      }
      if (!mail.to.map((t) => t.toLowerCase()).includes(emailOf.get(d.recipient_id) ?? '?'))
        counts.problems.push(`email ${deliveryId} went to ${mail.to.join(',')}, not the recipient's address`);
      const key = `${d.event_id}|${d.recipient_id}`;
      emailSeen.set(key, [...(emailSeen.get(key) ?? []), deliveryId]);
    }
    tally(emailSeen, expectedEmail, counts, 'email');

    // Webhooks: one endpoint, dedupe key = event id (body), with webhook-id = delivery id.
    const boundary = BigInt(boundarySeq);
    const expectedHook = new Set(events.filter((e) => BigInt(e.seq) > boundary).map((e) => `${e.id}|hook`));
    counts.webhookExpected = expectedHook.size;
    const hookSeen = new Map<string, string[]>();
    receiver.requests.forEach((req, i) => {
      if (sigOk.get(i) === false) counts.webhookBadSignature += 1;
      let eventId = '?';
      try {
        eventId = (JSON.parse(req.body) as { data: { id: string } }).data.id;
      } catch {
        counts.problems.push(`webhook body is not JSON: ${req.body.slice(0, 80)}`);
      }
      const key = `${eventId}|hook`;
      hookSeen.set(key, [...(hookSeen.get(key) ?? []), String(req.headers['webhook-id'])]);
    });
    tally(hookSeen, expectedHook, counts, 'webhook');

    // In-app: rows in the inbox (transactional channel).
    const inApp: Array<{ event_id: string; recipient_id: string; n: number }> = (
      await db.query(`SELECT event_id, recipient_id, count(*)::int n FROM notifications.notifications GROUP BY 1, 2`)
    ).rows;
    counts.inAppExpected = expectedInApp.size;
    counts.inAppStored = inApp.reduce((s, r) => s + r.n, 0);
    const inAppKeys = new Set(inApp.map((r) => `${r.event_id}|${r.recipient_id}`));
    counts.inAppDuplicates = inApp.filter((r) => r.n > 1).length;
    counts.inAppLost = [...expectedInApp].filter((k) => !inAppKeys.has(k)).length;
    counts.inAppUnexpected = [...inAppKeys].filter((k) => !expectedInApp.has(k)).length;

    for (const [k, v] of Object.entries({
      emailLost: counts.emailLost,
      emailUnexpected: counts.emailUnexpected,
      emailDuplicatesDistinctDelivery: counts.emailDuplicatesDistinctDelivery,
      webhookLost: counts.webhookLost,
      webhookUnexpected: counts.webhookUnexpected,
      webhookDuplicatesDistinctDelivery: counts.webhookDuplicatesDistinctDelivery,
      webhookBadSignature: counts.webhookBadSignature,
      inAppLost: counts.inAppLost,
      inAppDuplicates: counts.inAppDuplicates,
      inAppUnexpected: counts.inAppUnexpected,
      eventDuplicates: counts.eventDuplicates,
    })) {
      if (v) counts.problems.push(`${k} = ${v}`);
    }
    const dead = deliveries.filter((d) => d.status === 'dead' || d.status === 'failed' || d.status === 'pending' || d.status === 'sending');
    if (dead.length)
      counts.problems.push(
        `${dead.length} deliveries not settled as sent/suppressed: ${dead
          .slice(0, 5)
          .map((d) => `${d.channel}:${d.status}`)
          .join(', ')}`,
      );
    for (const r of counts.resends) log(`re-send: ${r}`);
    for (const [k, ids] of [...emailSeen, ...hookSeen])
      if (ids.length > 1)
        counts.resends.push(`${k} ${ids.map((id) => `${id} (attempts ${deliveryById.get(id)?.attempts ?? '?'})`).join(', ')}`);
    log(`result ${JSON.stringify(counts)}`);
    return counts;
  } finally {
    for (const r of roles) if (r.proc && alive(r)) r.proc.child.kill('SIGTERM');
    await Promise.race([Promise.all(roles.map((r) => r.proc?.exited)), new Promise<void>((r) => setTimeout(r, 15_000).unref())]);
    for (const r of roles) if (r.proc && alive(r)) r.proc.child.kill('SIGKILL');
    await db?.end().catch(() => undefined);
    if (o.mode === 'embedded') await stopEmbeddedLeftover(dataDir);
    await sink.close();
    await receiver.close();
    await redis?.stop();
    if (suiteDb) await dropSuiteDatabase(suiteDb).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(distDir, { recursive: true, force: true });
  }
}

/** test/support/process-runner's startProcess, for the private build. */
function startProcess(env: Record<string, string | undefined>, port: number, main: string): AppProcess {
  const clean = { ...process.env };
  delete clean.DATABASE_URL;
  delete clean.REDIS_URL;
  const child = spawn(process.execPath, [main], {
    cwd: ROOT,
    env: { ...clean, LOG_FORMAT: 'json', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (c: Buffer) => {
    out += c.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, port, output: () => out, exited };
}

function tally(seen: Map<string, string[]>, expected: Set<string>, counts: ChaosCounts, kind: 'email' | 'webhook'): void {
  let unique = 0;
  let lost = 0;
  let unexpected = 0;
  let sameDelivery = 0;
  let distinct = 0;
  for (const k of expected) if (!seen.has(k)) lost += 1;
  for (const [k, ids] of seen) {
    if (!expected.has(k)) unexpected += 1;
    else unique += 1;
    if (ids.length > 1) {
      const set = new Set(ids);
      sameDelivery += ids.length - set.size;
      distinct += set.size - 1;
    }
  }
  if (kind === 'email') {
    Object.assign(counts, {
      emailReceivedUnique: unique,
      emailLost: lost,
      emailUnexpected: counts.emailUnexpected + unexpected,
      emailResentSameDelivery: sameDelivery,
      emailDuplicatesDistinctDelivery: distinct,
    });
  } else {
    Object.assign(counts, {
      webhookReceivedUnique: unique,
      webhookLost: lost,
      webhookUnexpected: unexpected,
      webhookResentSameDelivery: sameDelivery,
      webhookDuplicatesDistinctDelivery: distinct,
    });
  }
}

function auditDatabaseUrl(mode: ChaosMode, suiteDb: string | null, dataDir: string): string {
  if (mode === 'redis') return suiteDb!;
  const password = readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim();
  const port = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/taskwire`;
}

/** The embedded PostgreSQL is detached from its owner; after a SIGKILLed owner it may outlive everyone. */
async function stopEmbeddedLeftover(dataDir: string): Promise<void> {
  try {
    const pid = Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (!pid) return;
    process.kill(pid, 'SIGINT');
    for (let i = 0; i < 200; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        return;
      }
      await sleep(50);
    }
    process.kill(pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      /* database blip: try again */
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(500);
  }
}
