#!/usr/bin/env node
// Notification pipeline benchmark: deliveries per second and event → delivered latency, for email
// (real SMTP, to a local smtp-server sink), webhooks (signed POSTs to a local receiver) and in-app.
//
//   node bench/notification-pipeline.mjs                     embedded defaults (embedded PostgreSQL, BullMQ on PostgreSQL)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 node bench/notification-pipeline.mjs
//   (N=1000 tasks for throughput; RATE=20 assignments/s for LATENCY_SECONDS=15 for latency)
//   WORKER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' passes node flags to the worker process only
//   (API_NODE_ARGS likewise to the API process);
//   DB_POOL_SIZE, EVENTS_CONCURRENCY, OUTBOX_BATCH_SIZE, SMTP_POOL_SIZE and every NOTIFY_* variable are passed through to the processes.
//   REFERENCE=0 skips the reference run; WORKER_LOG=<file> keeps the worker's log lines; BENCH_KEEP_DB=1 keeps the bench database; TRACE_QUERIES_FILE with WORKER_NODE_ARGS='--require bench/support/trace-queries.cjs'
//   counts the worker's statements.
//
// Reference: after taskwire, ../shared/bench-reference/pipeline.js (installed once under the OS temp
// dir, bench/lib/reference.mjs) runs against the same sinks and the same database server (and Redis),
// N events drained then RATE/s for LATENCY_SECONDS s. Both pipelines are timed from the sinks' own
// clocks: drain rate = email + webhook arrivals / (last − first arrival); steady latency = webhook
// received − occurredAt (email: taskwire from the request start, the reference from occurredAt — its
// events are inserted directly). Printed as taskwire/reference ratios.
//
// Throughput: an API process (APP_ROLE=api) records N assignments while no worker runs, so their
// events wait in the outbox; then one worker process (APP_ROLE=worker) starts and drains them:
// relay → event bus → publisher (ledger rows) → per-channel queues → SMTP / HTTP / inbox. Rates are
// deliveries over the time from the worker being ready to the last delivery of that channel.
// Latency: with the worker running, assignments at a steady RATE; email latency is request start →
// message accepted by the sink, webhook latency is the event's occurredAt → request received.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareReference } from './lib/reference.mjs';

const require = createRequire(import.meta.url);
const { SMTPServer } = require('smtp-server');
const { Client } = require('pg');
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.N ?? 1000);
const RATE = Number(process.env.RATE ?? 20);
const LATENCY_SECONDS = Number(process.env.LATENCY_SECONDS ?? 15);
const REDIS_URL = process.env.REDIS_URL;
const BASE_DATABASE_URL = process.env.DATABASE_URL;

// A build of its own, so a concurrent `npm run build` cannot pull dist/ from under the processes.
mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
const BUILD = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'taskwire-bench-notify-'));
execFileSync(
  join(ROOT, 'node_modules', '.bin', 'swc'),
  ['src', 'migrations', '-d', BUILD, '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'],
  { cwd: ROOT },
);
const MAIN = join(BUILD, 'src', 'main.js');
const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-bench-notify-'));
const children = new Set();
let benchDb = null;
process.on('exit', () => {
  children.forEach((c) => c.kill('SIGKILL'));
  rmSync(BUILD, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));

// --- the receivers -------------------------------------------------------------------------------
const mails = []; // { at, text }
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    let raw = '';
    stream.on('data', (c) => (raw += c.toString()));
    stream.on('end', () => {
      mails.push({ at: performance.timeOrigin + performance.now(), raw });
      callback(null);
    });
  },
});
await new Promise((r) => smtp.listen(0, '127.0.0.1', r));
const hooks = []; // { at, body }
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    hooks.push({ at: performance.timeOrigin + performance.now(), body });
    res.writeHead(204).end();
  });
});
await new Promise((r) => receiver.listen(0, '127.0.0.1', r));

// --- the processes -------------------------------------------------------------------------------
let databaseUrl;
if (BASE_DATABASE_URL) {
  const name = `taskwire_bench_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: BASE_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(BASE_DATABASE_URL);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  benchDb = name;
}
const QUEUE_PREFIX = `bench-${randomBytes(3).toString('hex')}`;
const env = (role, port) => ({
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  APP_ROLE: role,
  PORT: String(port),
  HOST: '127.0.0.1',
  ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  ...(REDIS_URL ? { REDIS_URL } : {}),
  DATA_DIR: dataDir,
  JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789abcdef',
  ADMIN_EMAIL: 'bench-admin@taskwire.test',
  ADMIN_PASSWORD: 'bench-admin-password',
  LOG_LEVEL: 'warn',
  LOG_FORMAT: 'json',
  RATE_LIMIT: '100000000/1m',
  AUTH_RATE_LIMIT: '100000/1m',
  QUEUE_PREFIX,
  EMAIL_TRANSPORT: 'smtp',
  SMTP_URL: `smtp://127.0.0.1:${smtp.server.address().port}`,
  WEBHOOK_ALLOW_PRIVATE: 'true',
  ...(role === 'worker' && process.env.TRACE_QUERIES_FILE ? { TRACE_QUERIES_FILE: process.env.TRACE_QUERIES_FILE } : {}),
  ...(role === 'api' && process.env.API_TRACE_QUERIES_FILE ? { TRACE_QUERIES_FILE: process.env.API_TRACE_QUERIES_FILE } : {}),
  ...(process.env.DB_POOL_SIZE ? { DB_POOL_SIZE: process.env.DB_POOL_SIZE } : {}),
  ...Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => k === 'EVENTS_CONCURRENCY' || k === 'OUTBOX_BATCH_SIZE' || k === 'SMTP_POOL_SIZE' || /^NOTIFY_[A-Z_]+$/.test(k),
    ),
  ),
});
const WORKER_NODE_ARGS = (process.env.WORKER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
const API_NODE_ARGS = (process.env.API_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
// A port the OS says is free (a fixed range once hit 4369, RabbitMQ's epmd, and the worker exited).
const freePort = () =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
async function start(role) {
  const port = await freePort();
  const child = spawn(process.execPath, [...(role === 'worker' ? WORKER_NODE_ARGS : API_NODE_ARGS), MAIN], {
    cwd: ROOT,
    // WORKER_LOG=<file>: the worker's log lines (LOG_LEVEL warn) go there, e.g. to see the sweeper re-queue.
    stdio: ['ignore', role === 'worker' && process.env.WORKER_LOG ? openSync(process.env.WORKER_LOG, 'a') : 'ignore', 'inherit'],
    env: env(role, port),
  });
  children.add(child);
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${role} process exited (${child.exitCode})`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/health/ready`)).status === 200) break;
    } catch {}
    if (i > 1200) throw new Error(`${role} process not ready`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, url: `http://127.0.0.1:${port}` };
}
async function stop(p) {
  p.child.kill('SIGTERM');
  await new Promise((r) => p.child.once('exit', r));
  children.delete(p.child);
}

const api = await start('api');
const call = async (method, path, body, token) => {
  const res = await fetch(`${api.url}${path}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
};
const { accessToken: admin } = await call('POST', '/api/v1/auth/login', {
  email: 'bench-admin@taskwire.test',
  password: 'bench-admin-password',
});
const member = await call(
  'POST',
  '/api/v1/users',
  { email: 'bench-member@taskwire.test', name: 'Bench Member', password: 'bench-member-password', role: 'member' },
  admin,
);
const { accessToken: memberToken } = await call('POST', '/api/v1/auth/login', {
  email: 'bench-member@taskwire.test',
  password: 'bench-member-password',
});
await call('POST', '/api/v1/webhooks', { url: `http://127.0.0.1:${receiver.address().port}/hook`, events: ['task.assigned'] }, admin);

// --- throughput: drain a backlog of N assignments --------------------------------------------------
const t0 = performance.now();
let created = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (created < N) {
      created += 1;
      await call('POST', '/api/v1/tasks', { title: `bench ${created}`, assigneeId: member.id }, admin);
    }
  }),
);
const recordMs = performance.now() - t0;
const worker = await start('worker');
const drainStart = performance.timeOrigin + performance.now();
const cpuAtStart = cpuSeconds(worker.child.pid);
const dbCpuAtStart = await databaseCpu();
const commitsAtStart = await databaseCommits();
const tracedAtStart = tracedStatements();
for (;;) {
  const { count } = await call('GET', '/api/v1/notifications/unread-count', undefined, memberToken);
  if (mails.length >= N && hooks.length >= N && count >= N) break;
  await new Promise((r) => setTimeout(r, 100));
}
const inAppDone = performance.timeOrigin + performance.now();
const workerCpu = cpuSeconds(worker.child.pid) - cpuAtStart;
const dbCpu = (await databaseCpu()) - dbCpuAtStart;
const statements = tracedStatements() - tracedAtStart;
await new Promise((r) => setTimeout(r, 1500)); // backends report their transaction counts to pg_stat within ~1 s
const commitsAtEnd = await databaseCommits();
const commits = commitsAtStart === null || commitsAtEnd === null ? null : commitsAtEnd - commitsAtStart;
const stages = await pipelineStages();
const last = (list) => Math.max(...list.map((x) => x.at));
// The worker starts delivering before its readiness probe answers (polled every 50 ms): a small backlog can be
// sent before drainStart. The drain runs from the earlier of readiness and the first arrival at a sink.
const drainFrom = Math.min(drainStart, ...[...mails, ...hooks].map((x) => x.at));
const drainSeconds = (end) => Math.max(end - drainFrom, 1) / 1000;
const rate = (count, end) => (count / drainSeconds(end)).toFixed(0);
const drained = { email: last(mails), webhook: last(hooks), inApp: inAppDone };
const twDrainRate = sinkRate([...mails, ...hooks]);
const total = Math.max(drained.email, drained.webhook, drained.inApp);
const took = (end) => drainSeconds(end).toFixed(3);

/** Arrivals per second by the sinks' own clock: count / (last − first arrival). */
function sinkRate(list) {
  if (list.length < 2) return 0;
  const at = list.map((x) => x.at);
  return list.length / ((Math.max(...at) - Math.min(...at)) / 1000);
}

/** user + system CPU seconds of a process so far (Linux /proc; 0 elsewhere). */
function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** CPU seconds of the PostgreSQL backends serving the bench database (a local server only; 0 otherwise). */
async function databaseCpu() {
  if (!benchDb) return 0;
  const db = new Client({ connectionString: BASE_DATABASE_URL });
  try {
    await db.connect();
    const { rows } = await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [benchDb]);
    return rows.reduce((sum, r) => sum + cpuSeconds(r.pid), 0);
  } catch {
    return 0;
  } finally {
    await db.end().catch(() => undefined);
  }
}

/**
 * Transactions committed in the bench database so far (a server of our own only; null otherwise):
 * the drain's delta over its deliveries is "commits per delivery", BullMQ's own on PostgreSQL included.
 */
async function databaseCommits() {
  if (!benchDb) return null;
  const db = new Client({ connectionString: BASE_DATABASE_URL });
  try {
    await db.connect();
    const result = await db.query(`SELECT xact_commit::float8 AS n FROM pg_stat_database WHERE datname = $1`, [benchDb]);
    return result.rows[0]?.n ?? null;
  } catch {
    return null;
  } finally {
    await db.end().catch(() => undefined);
  }
}

/** Statements the worker sent so far, when it runs with bench/support/trace-queries.cjs (TRACE_QUERIES_FILE). */
function tracedStatements() {
  const file = process.env.TRACE_QUERIES_FILE;
  if (!file) return 0;
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  } catch {
    return 0;
  }
}

/** Where the drain time went, from the database's own timestamps. */
async function pipelineStages() {
  if (!databaseUrl) return null;
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows: handled } = await db.query(
      `SELECT count(*)::int AS n, extract(epoch FROM max(completed_at) - min(completed_at))::float8 AS span FROM events.handler_runs WHERE handler = 'notifications.publisher'`,
    );
    const { rows: channels } = await db.query(
      `SELECT channel, count(*)::int AS n, extract(epoch FROM max(created_at) - min(created_at))::float8 AS planned_span,
              extract(epoch FROM max(sent_at) - min(created_at))::float8 AS sent_span,
              extract(epoch FROM avg(sent_at - created_at))::float8 AS avg_wait
         FROM notifications.deliveries GROUP BY channel ORDER BY channel`,
    );
    return { handled: handled[0], channels };
  } finally {
    await db.end();
  }
}

// --- latency: steady assignments while the worker runs ---------------------------------------------
mails.length = 0;
hooks.length = 0;
const sentAt = new Map(); // task id → request start (epoch ms)
const ticks = RATE * LATENCY_SECONDS;
// CPU of each part over the steady phase, per assignment: what a saturated machine's queueing comes from.
const steadyCpuAtStart = {
  worker: cpuSeconds(worker.child.pid),
  api: cpuSeconds(api.child.pid),
  db: await databaseCpu(),
  at: performance.now(),
};
for (let i = 0; i < ticks; i++) {
  const at = performance.timeOrigin + performance.now();
  void call('POST', '/api/v1/tasks', { title: `latency ${i}`, assigneeId: member.id }, admin).then((task) => sentAt.set(task.id, at));
  await new Promise((r) => setTimeout(r, 1000 / RATE));
}
const deadline = Date.now() + 60_000;
while ((mails.length < ticks || hooks.length < ticks) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
const steadyCpu = {
  worker: cpuSeconds(worker.child.pid) - steadyCpuAtStart.worker,
  api: cpuSeconds(api.child.pid) - steadyCpuAtStart.api,
  db: (await databaseCpu()) - steadyCpuAtStart.db,
  seconds: (performance.now() - steadyCpuAtStart.at) / 1000,
};
const pct = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};
const emailLatency = mails
  .map((m) => {
    const id = /tasks\/([0-9a-f-]{36})/.exec(m.raw.replace(/=\r\n/g, ''))?.[1];
    return id && sentAt.has(id) ? m.at - sentAt.get(id) : null;
  })
  .filter((v) => v !== null);
const hookLatency = hooks.map((h) => h.at - Date.parse(JSON.parse(h.body).data.occurredAt));

await stop(worker);

// --- the reference, same sinks, same database server (and Redis) -----------------------------------
let reference = null;
if (process.env.REFERENCE !== '0') {
  const refDir = prepareReference(ROOT);
  let refDbUrl = databaseUrl;
  if (!refDbUrl) {
    // the embedded server the API process owns (as bench/run.mjs attaches its reference)
    const { port } = JSON.parse(readFileSync(join(dataDir, 'postgres.owner.json'), 'utf8'));
    const password = readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim();
    refDbUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/taskwire`;
  }
  mails.length = 0;
  hooks.length = 0;
  const child = spawn(process.execPath, ['pipeline.js'], {
    cwd: refDir,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: refDbUrl,
      ...(REDIS_URL ? { REDIS_URL } : {}),
      SMTP_URL: `smtp://127.0.0.1:${smtp.server.address().port}`,
      WEBHOOK_URL: `http://127.0.0.1:${receiver.address().port}/hook`,
      N: String(N),
      RATE: String(RATE),
      SECONDS: String(LATENCY_SECONDS),
    },
  });
  children.add(child);
  const code = await new Promise((r) => child.once('exit', r));
  children.delete(child);
  if (code !== 0) throw new Error(`reference pipeline exited with ${code}`);
  const refMail = mails.map((m) => {
    const subject = /Subject: assigned (drain|steady) ([0-9a-f-]{36}) (\S+)/.exec(m.raw.replace(/\r\n[ \t]+/g, ' '));
    return { at: m.at, phase: subject?.[1], occurredAt: subject ? Date.parse(subject[3]) : NaN };
  });
  const refHooks = hooks.map((h) => {
    const data = JSON.parse(h.body).data;
    return { at: h.at, phase: data.phase, occurredAt: Date.parse(data.occurredAt) };
  });
  const drainOf = (list) => list.filter((x) => x.phase === 'drain');
  const steadyLatency = (list) => list.filter((x) => x.phase === 'steady').map((x) => x.at - x.occurredAt);
  reference = {
    drainRate: sinkRate([...drainOf(refMail), ...drainOf(refHooks)]),
    drained: drainOf(refMail).length + drainOf(refHooks).length,
    email: steadyLatency(refMail),
    webhook: steadyLatency(refHooks),
  };
}
await stop(api);
smtp.close();
receiver.close();
if (benchDb && process.env.BENCH_KEEP_DB === '1') console.log(`kept database ${benchDb} (BENCH_KEEP_DB=1)`);
else if (benchDb) {
  const admin2 = new Client({ connectionString: BASE_DATABASE_URL });
  await admin2.connect();
  await admin2.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
  await admin2.end();
}

const backend = REDIS_URL
  ? 'PostgreSQL + Redis'
  : BASE_DATABASE_URL
    ? 'PostgreSQL, BullMQ on PostgreSQL'
    : 'embedded (BullMQ on PostgreSQL)';
console.log(`notification pipeline — ${backend}, one worker process`);
console.log(`throughput (backlog of ${N} assignments recorded in ${(recordMs / 1000).toFixed(1)} s, drained by the worker):`);
console.log(`  email (SMTP)   ${N} in ${took(drained.email)} s = ${rate(N, drained.email)} deliveries/s`);
console.log(`  webhook        ${N} in ${took(drained.webhook)} s = ${rate(N, drained.webhook)} deliveries/s`);
console.log(`  in-app         ${N} in ≤${took(drained.inApp)} s (polled) = ≥${rate(N, drained.inApp)} deliveries/s`);
console.log(`  all channels   ${3 * N} in ${took(total)} s = ${rate(3 * N, total)} deliveries/s`);
// CPU the worker process spent on the drain: a cost per delivery that other load on the machine does not skew much.
if (workerCpu > 0) console.log(`  worker CPU     ${workerCpu.toFixed(1)} s = ${((workerCpu * 1000) / (3 * N)).toFixed(2)} ms per delivery`);
if (dbCpu > 0)
  console.log(
    `  database CPU   ${dbCpu.toFixed(1)} s = ${((dbCpu * 1000) / (3 * N)).toFixed(2)} ms per delivery (backends of the bench database)`,
  );
if (commits !== null)
  console.log(
    `  commits        ${commits} = ${(commits / (3 * N)).toFixed(2)} per delivery (pg_stat_database xact_commit of the bench database over the drain)`,
  );
if (statements > 0)
  console.log(
    `  statements     ${statements} = ${(statements / N).toFixed(1)} per event, ${(statements / (3 * N)).toFixed(2)} per delivery (worker process, traced)`,
  );
if (stages) {
  console.log(`  stages: ${stages.handled.n} events handled by the publisher within ${stages.handled.span.toFixed(1)} s`);
  for (const c of stages.channels) {
    console.log(
      `    ${c.channel.padEnd(8)} ${c.n} rows planned within ${c.planned_span.toFixed(1)} s, sent within ${c.sent_span.toFixed(1)} s of the first, avg row → sent ${(c.avg_wait * 1000).toFixed(0)} ms`,
    );
  }
}
console.log(
  `latency event → delivered at ${RATE} assignments/s for ${LATENCY_SECONDS} s (${emailLatency.length} emails, ${hookLatency.length} webhooks):`,
);
console.log(
  `  email (request start → SMTP accepted)   p50 ${pct(emailLatency, 50).toFixed(0)} ms, p99 ${pct(emailLatency, 99).toFixed(0)} ms`,
);
console.log(
  `  webhook (occurredAt → received)         p50 ${pct(hookLatency, 50).toFixed(0)} ms, p99 ${pct(hookLatency, 99).toFixed(0)} ms`,
);
const perTick = (seconds) => ((seconds * 1000) / ticks).toFixed(2);
console.log(
  `  CPU per assignment: worker ${perTick(steadyCpu.worker)} ms, API ${perTick(steadyCpu.api)} ms` +
    (steadyCpu.db > 0 ? `, database ${perTick(steadyCpu.db)} ms (backends of the bench database)` : '') +
    ` — ${((steadyCpu.worker + steadyCpu.api + steadyCpu.db) / steadyCpu.seconds).toFixed(2)} cores over the phase`,
);
if (reference) {
  const ratio = (a, b) => (b > 0 ? `${(a / b).toFixed(2)}×` : 'n/a');
  const [rh50, rh99, re50, re99] = [
    pct(reference.webhook, 50),
    pct(reference.webhook, 99),
    pct(reference.email, 50),
    pct(reference.email, 99),
  ];
  const [th50, th99, te50, te99] = [pct(hookLatency, 50), pct(hookLatency, 99), pct(emailLatency, 50), pct(emailLatency, 99)];
  console.log(`reference (shared/bench-reference/pipeline.js, same sinks and database server; timed from the sinks' clocks):`);
  console.log(
    `  drain email + webhook   taskwire ${twDrainRate.toFixed(0)}/s, reference ${reference.drainRate.toFixed(0)}/s (${reference.drained} arrivals) = ratio ${ratio(twDrainRate, reference.drainRate)}`,
  );
  console.log(
    `  steady webhook          taskwire p50 ${th50.toFixed(0)} / p99 ${th99.toFixed(0)} ms, reference p50 ${rh50.toFixed(0)} / p99 ${rh99.toFixed(0)} ms = ratio p50 ${ratio(th50, rh50)}, p99 ${ratio(th99, rh99)}`,
  );
  console.log(
    `  steady email            taskwire p50 ${te50.toFixed(0)} / p99 ${te99.toFixed(0)} ms, reference p50 ${re50.toFixed(0)} / p99 ${re99.toFixed(0)} ms = ratio p50 ${ratio(te50, re50)}, p99 ${ratio(te99, re99)}`,
  );
}
process.exit(0);
