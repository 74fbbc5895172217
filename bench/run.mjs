#!/usr/bin/env node
// taskwire vs a bare Fastify + pg reference (../shared/bench-reference), same PostgreSQL, same run.
//
//   npm run bench          full run: writes docs/benchmarks.md and docs/benchmarks.svg
//   npm run bench:smoke    ~10 s of load (1 s per measurement, 1k seed, pipeline N=20): harness check
//
// Env: DATABASE_URL (unset → taskwire's embedded PostgreSQL; the reference is pointed at that server),
//      REDIS_URL (adds the pipeline run on Redis), BENCH_FULL=1 (adds the 1M-task list scenario),
//      BENCH_DURATION (s per measurement), BENCH_ROUNDS, BENCH_CONNECTIONS, BENCH_REFERENCE_DIR,
//      BENCH_PROFILE=0 (skip the --cpu-prof pass), BENCH_PIPELINE=0 (skip the notification pipeline),
//      BENCH_COLD_START=0 (skip the cold-start measurement), BENCH_OUT (directory for the report),
//      BENCH_STREAMS (open member event streams of the 'POST /tasks with N open streams' row; 500, smoke 20).
// Exit code: 0 when every measurement ran (targets are reported, never enforced); 1 on harness failure.
import { execFileSync, spawn } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSvg } from './lib/svg.mjs';
import { summariseProfile } from './lib/cpuprofile.mjs';
import { renderMarkdown } from './lib/report.mjs';
import { prepareReference as prepareReferenceIn } from './lib/reference.mjs';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { Client } = require('pg');

// BENCH_ROOT: measure the taskwire checkout there with this harness (bench/compare-commits.mjs)
const ROOT = process.env.BENCH_ROOT
  ? path.resolve(process.env.BENCH_ROOT)
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SMOKE = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
const FULL = process.env.BENCH_FULL === '1';
const DURATION = Number(process.env.BENCH_DURATION ?? (SMOKE ? 1 : 6));
const WARMUP = SMOKE ? 1 : 3;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMOKE ? 1 : 3));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const PROFILE = !SMOKE && process.env.BENCH_PROFILE !== '0';
const PIPELINE = process.env.BENCH_PIPELINE !== '0';
/** BENCH_ONLY=get,post (of list, get, post, streams, transition): run only those HTTP scenarios (quick iteration). */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const wants = (scenario) => !ONLY || ONLY.has(scenario);
const COLD_START = !SMOKE && process.env.BENCH_COLD_START !== '0';
const BASE_DATABASE_URL = process.env.DATABASE_URL || null;
const REDIS_URL = process.env.REDIS_URL || null;
const JWT_SECRET = 'bench-secret-that-is-long-enough-0123456789abcdef';
const ADMIN = { email: 'bench-admin@taskwire.test', password: 'bench-admin-password' };
const OUT = process.env.BENCH_OUT
  ? path.resolve(process.env.BENCH_OUT)
  : SMOKE
    ? path.join(os.tmpdir(), 'taskwire-bench-smoke')
    : path.join(ROOT, 'docs');
const LIST_SIZES = SMOKE ? [1000] : FULL ? [10_000, 100_000, 1_000_000] : [10_000, 100_000];
const TRANSITION_TASKS = SMOKE ? 3000 : 60_000;
const PIPE = SMOKE ? { N: 20, RATE: 10, LATENCY_SECONDS: 2 } : { N: 2000, RATE: 100, LATENCY_SECONDS: 10 };
/** Writes with N open member streams (GET /events/stream), STREAMS_PER_MEMBER each (≤ STREAM_MAX_PER_USER). */
const OPEN_STREAMS = Number(process.env.BENCH_STREAMS ?? (SMOKE ? 20 : 500));
const STREAMS_PER_MEMBER = 10;

/** Node flags of `npm start` (e.g. the V8 heap cap): taskwire is measured as users run it. */
const START_NODE_FLAGS = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'))
  .scripts.start.match(/node\s+(.*?)\s*dist\/src\/main\.js/)[1]
  .split(/\s+/)
  .filter(Boolean);
const log = (...a) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// --- process bookkeeping: everything we start is stopped on success, error and SIGINT ------------
const children = new Map(); // child → { name, stopSignal }
const scratch = [];
let benchDb = null;
let cleaning = null;
function track(child, name, stopSignal = 'SIGTERM') {
  children.set(child, { name, stopSignal });
  child.once('exit', () => children.delete(child));
  return child;
}
async function stopChild(child, timeoutMs = 15_000) {
  if (!children.has(child) || child.exitCode !== null || child.signalCode !== null) return;
  const { stopSignal } = children.get(child);
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(stopSignal);
  const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  await exited;
  clearTimeout(t);
}
async function cleanup() {
  cleaning ??= (async () => {
    // the reference first (it holds connections to the embedded server taskwire owns), then the rest
    const order = [...children.keys()].sort((a, b) =>
      children.get(a).name === 'reference' ? -1 : children.get(b).name === 'reference' ? 1 : 0,
    );
    for (const c of order) await stopChild(c).catch(() => {});
    if (benchDb && BASE_DATABASE_URL) {
      await withDb(BASE_DATABASE_URL, (db) => db.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`)).catch(() => {});
    }
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  })();
  return cleaning;
}
process.on('SIGINT', () => {
  log('SIGINT: stopping everything started by the bench');
  cleanup().finally(() => process.exit(130));
});
process.on('SIGTERM', () => cleanup().finally(() => process.exit(143)));
process.on('exit', () => {
  for (const c of children.keys()) c.kill('SIGKILL');
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

async function withDb(url, fn) {
  const db = new Client({ connectionString: url });
  db.on('error', () => {}); // a server going away during cleanup surfaces on the next query instead
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}
function dbUrl(base, name) {
  const u = new URL(base);
  u.pathname = `/${name}`;
  return u.toString();
}
async function waitReady(url, child, name, timeoutMs = 120_000, logTail = () => '') {
  const t0 = performance.now();
  let last = 'no answer';
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready${logTail()}`);
    try {
      const res = await fetch(url);
      if (res.status === 200) return performance.now() - t0;
      last = `${res.status} ${(await res.text()).slice(0, 500)}`;
    } catch (err) {
      last = err.cause?.code ?? err.message;
    }
    if (performance.now() - t0 > timeoutMs) throw new Error(`${name} not ready after ${timeoutMs} ms (last answer: ${last})${logTail()}`);
    await sleep(25);
  }
}
/** The last lines a child wrote to `stream` (its log at LOG_LEVEL warn), for a start-up that fails. */
function tailOf(stream, lines = 40) {
  const kept = [];
  let partial = '';
  stream.on('data', (chunk) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop();
    kept.push(...parts);
    if (kept.length > lines) kept.splice(0, kept.length - lines);
  });
  return () => (kept.length ? `\n--- its last log lines ---\n${kept.join('\n')}` : '');
}
/** A port nothing listens on now (the OS picks it), for servers whose start-up we wait for. */
const unusedPort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

// --- build ------------------------------------------------------------------------------------------
// Same swc transpile as `npm run build`, into a private folder so another engineer's concurrent build
// cannot delete dist/ from under the running server.
function build() {
  mkdirSync(path.join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'taskwire-bench-run-'));
  scratch.push(dir);
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'swc'),
    ['src', 'migrations', '-d', dir, '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  return path.join(dir, 'src', 'main.js');
}

// --- the reference ------------------------------------------------------------------------------------
const prepareReference = () => prepareReferenceIn(ROOT, log);
function hs256(payload, secret) {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ ...payload, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

// --- taskwire ------------------------------------------------------------------------------------------
function twEnv(extra) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    JWT_SECRET,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    RATE_LIMIT: '100000000/1m',
    AUTH_RATE_LIMIT: '100000/1m',
    QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
    ...extra,
  };
  for (const [k, v] of Object.entries(env)) if (v === undefined || v === null) delete env[k];
  return env;
}
async function startTaskwire(main, { env, nodeArgs = [], name = 'taskwire' }) {
  const port = await unusedPort();
  const spawnedAt = performance.now();
  const child = track(
    spawn(process.execPath, [...START_NODE_FLAGS, ...nodeArgs, main], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...env, PORT: String(port) },
    }),
    name,
  );
  const readyMs = await waitReady(`http://127.0.0.1:${port}/health/ready`, child, name, 120_000, tailOf(child.stdout));
  return { child, port, url: `http://127.0.0.1:${port}`, readyMs, spawnedAt };
}

async function api(base, method, p, body, token) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

// --- open event streams -------------------------------------------------------------------------------
/** Opens `n` GET /events/stream connections for fresh members and resolves once each has started (subscribed). */
async function openMemberStreams(base, n, mkUser) {
  const streams = [];
  for (let m = 0; streams.length < n; m++) {
    const member = await mkUser('member', `streamer-${m}`);
    for (let i = 0; i < STREAMS_PER_MEMBER && streams.length < n; i++) {
      const controller = new AbortController();
      const res = await fetch(`${base}/api/v1/events/stream`, {
        headers: { authorization: `Bearer ${member.token}`, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (res.status !== 200) throw new Error(`GET /events/stream: ${res.status} ${await res.text()}`);
      const stream = { events: 0, ended: false, close: () => controller.abort() };
      const reader = res.body.getReader();
      const decoder = new TextDecoder();
      (async () => {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return void (stream.ended = true);
          stream.events += (decoder.decode(value, { stream: true }).match(/^event: /gm) ?? []).length;
        }
      })().catch(() => (stream.ended = true));
      streams.push(stream);
    }
  }
  log(`opened ${streams.length} member event streams`);
  return streams;
}

// --- seeding (one INSERT … SELECT generate_series per table) -------------------------------------------
// States cycle draft / assigned / in_progress / completed / cancelled; non-draft tasks are assigned
// round-robin over 100 assignees, the first of which is the member whose list the scenario reads.
async function seed(db, from, to, assignees, creatorId) {
  const t0 = performance.now();
  const common = `
    FROM generate_series($1::int + 1, $2::int) AS g,
         LATERAL (SELECT (ARRAY['draft','assigned','in_progress','completed','cancelled'])[1 + g % 5] AS st) s`;
  const assignee = `CASE WHEN s.st = 'draft' THEN NULL ELSE ($3::uuid[])[1 + (g / 5) % 100] END`;
  const created = `now() - interval '30 days' + g * interval '1 ms'`;
  await db.query(
    `INSERT INTO tasks.tasks (id, title, description, priority, state, creator_id, assignee_id, labels, version, created_at, updated_at, completed_at, cancelled_at)
     SELECT gen_random_uuid(), 'seeded task ' || g, 'seeded by bench/run.mjs', (ARRAY['low','normal','high','urgent'])[1 + g % 4], s.st,
            $4::uuid, ${assignee}, '{}', 1, ${created}, ${created},
            CASE WHEN s.st = 'completed' THEN ${created} END, CASE WHEN s.st = 'cancelled' THEN ${created} END ${common}`,
    [from, to, assignees, creatorId],
  );
  await db.query(
    `INSERT INTO bench_ref_tasks (id, title, description, priority, state, creator_id, assignee_id, version, created_at, updated_at)
     SELECT gen_random_uuid(), 'seeded task ' || g, 'seeded by bench/run.mjs', (ARRAY['low','normal','high','urgent'])[1 + g % 4], s.st,
            $4::uuid, ${assignee}, 1, ${created}, ${created} ${common}`,
    [from, to, assignees, creatorId],
  );
  await db.query('ANALYZE tasks.tasks');
  await db.query('ANALYZE bench_ref_tasks');
  return performance.now() - t0;
}

// --- load ---------------------------------------------------------------------------------------------
function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts }, (err, res) => (err ? reject(err) : resolve(res)));
  });
}
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
function pct(values, p) {
  if (!values.length) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
/** CPU time (user + system) a process has used so far, in ms, from /proc (null where there is none). */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
/** The server processes compared: [reference pid, taskwire pid] (set once both run). */
const serverPids = [null, null];

function summarise(runs) {
  const cpu = runs.filter((r) => r.cpuMs !== null);
  const served = cpu.reduce((n, r) => n + r.requests.total, 0);
  return {
    // CPU time of the server process per request: unlike req/s, barely moved by other load on the machine
    cpuMsPerReq: cpu.length && served ? cpu.reduce((n, r) => n + r.cpuMs, 0) / served : null,
    rps: median(runs.map((r) => r.requests.average)),
    p50: median(runs.map((r) => r.latency.p50)),
    p99: median(runs.map((r) => r.latency.p99)),
    ok: runs.reduce((n, r) => n + r['2xx'], 0),
    bad: runs.reduce((n, r) => n + r.non2xx + r.errors + r.timeouts, 0),
    rounds: runs.map((r) => Math.round(r.requests.average)),
  };
}
/** Alternates ref, tw, ref, tw … for ROUNDS rounds after one warm-up of each. */
async function compare(name, targets, { onTwRun } = {}) {
  log(`scenario ${name}: warm-up`);
  for (const t of targets) if (t) await cannon({ ...t.opts(), duration: WARMUP });
  const runs = targets.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < targets.length; i++) {
      if (!targets[i]) continue;
      const stopSampling = i === 1 && onTwRun ? onTwRun() : null;
      const pid = serverPids[i];
      const cpuBefore = pid ? cpuMs(pid) : null;
      const result = await cannon(targets[i].opts());
      const cpuAfter = pid ? cpuMs(pid) : null;
      runs[i].push({ ...result, cpuMs: cpuBefore !== null && cpuAfter !== null ? cpuAfter - cpuBefore : null });
      stopSampling?.();
    }
  }
  const [ref, tw] = runs.map((r) => (r.length ? summarise(r) : null));
  const cpu = (x) => (x?.cpuMsPerReq != null ? `${x.cpuMsPerReq.toFixed(3)} CPU ms/req` : '- CPU ms/req');
  log(
    `scenario ${name}: ref ${ref ? ref.rps.toFixed(0) : '-'} req/s p99 ${ref ? ref.p99 : '-'} ms ${cpu(ref)} | taskwire ${tw.rps.toFixed(0)} req/s p99 ${tw.p99} ms ${cpu(tw)} (${tw.bad} non-2xx/errors)`,
  );
  return { name, ref, tw };
}

// --- the pipeline (bench/notification-pipeline.mjs, run as a child and parsed) ------------------------
/** One retry: under heavy machine load its processes occasionally miss their 60 s readiness window. */
async function pipeline(label, env) {
  try {
    return await pipelineOnce(label, env);
  } catch (err) {
    log(`pipeline ${label} failed, retrying once: ${String(err.message).split('\n')[0]}`);
    return pipelineOnce(label, env);
  }
}
async function pipelineOnce(label, env) {
  log(`pipeline ${label}: N=${PIPE.N}, ${PIPE.RATE} events/s for ${PIPE.LATENCY_SECONDS} s`);
  const child = track(
    spawn(process.execPath, [path.join(ROOT, 'bench', 'notification-pipeline.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, N: String(PIPE.N), RATE: String(PIPE.RATE), LATENCY_SECONDS: String(PIPE.LATENCY_SECONDS), ...env },
    }),
    `pipeline-${label}`,
    'SIGINT', // its SIGINT handler stops the processes it started
  );
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  const code = await new Promise((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`notification pipeline (${label}) exited with ${code}:\n${out}`);
  const num = (re) => {
    const m = re.exec(out);
    if (!m) throw new Error(`notification pipeline (${label}): cannot parse ${re} in:\n${out}`);
    return m.slice(1).map(Number);
  };
  const [emailN, emailS] = num(/email \(SMTP\)\s+(\d+) in ([\d.]+) s/);
  const [hookN, hookS] = num(/webhook\s+(\d+) in ([\d.]+) s/);
  const [allRate] = num(/all channels\s+\d+ in [\d.]+ s = (\d+) deliveries\/s/);
  const [eP50, eP99] = num(/email \(request start → SMTP accepted\)\s+p50 (-?\d+) ms, p99 (-?\d+) ms/);
  const [hP50, hP99] = num(/webhook \(occurredAt → received\)\s+p50 (-?\d+) ms, p99 (-?\d+) ms/);
  const [lEmails, lHooks] = num(/\((\d+) emails, (\d+) webhooks\)/);
  // The reference's run in the same process tree (same sinks, same database server): ratios.
  const opt = (re) => re.exec(out)?.slice(1).map(Number) ?? null;
  const drainRatio = opt(/drain email \+ webhook\s+taskwire (\d+)\/s, reference (\d+)\/s \(\d+ arrivals\) = ratio ([\d.]+)×/);
  const hookRatio = opt(/steady webhook\s+taskwire p50 (-?\d+) \/ p99 (-?\d+) ms, reference p50 (-?\d+) \/ p99 (-?\d+) ms/);
  const emailRatio = opt(/steady email\s+taskwire p50 (-?\d+) \/ p99 (-?\d+) ms, reference p50 (-?\d+) \/ p99 (-?\d+) ms/);
  const [commits] = opt(/commits\s+\d+ = ([\d.]+) per delivery/) ?? [null];
  const reference = drainRatio
    ? {
        drain: { taskwire: drainRatio[0], reference: drainRatio[1], ratio: drainRatio[2] },
        webhook: hookRatio && { taskwire: { p50: hookRatio[0], p99: hookRatio[1] }, reference: { p50: hookRatio[2], p99: hookRatio[3] } },
        email: emailRatio && {
          taskwire: { p50: emailRatio[0], p99: emailRatio[1] },
          reference: { p50: emailRatio[2], p99: emailRatio[3] },
        },
      }
    : null;
  return {
    label,
    n: PIPE.N,
    emailRate: emailN / emailS,
    hookRate: hookN / hookS,
    emailHookRate: (emailN + hookN) / Math.max(emailS, hookS),
    allRate,
    email: { p50: eP50, p99: eP99, received: lEmails },
    webhook: { p50: hP50, p99: hP99, received: lHooks },
    rate: Number(env.RATE ?? PIPE.RATE),
    expected: Number(env.RATE ?? PIPE.RATE) * PIPE.LATENCY_SECONDS,
    reference,
    commitsPerDelivery: commits,
    raw: out.trim(),
  };
}

// --- cold start (bench/startup.mjs logic: fresh DATA_DIR, first start runs initdb, time the second) --
async function coldStart(main) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'taskwire-bench-cold-'));
  scratch.push(dataDir);
  const times = [];
  for (let i = 0; i < 2; i++) {
    const tw = await startTaskwire(main, { env: twEnv({ DATA_DIR: dataDir }), name: `cold-start-${i + 1}` });
    times.push(tw.readyMs);
    await stopChild(tw.child);
  }
  log(`cold start: first ${times[0].toFixed(0)} ms (initdb), second ${times[1].toFixed(0)} ms`);
  return { first: times[0], second: times[1] };
}

// --- main ---------------------------------------------------------------------------------------------
async function main() {
  const startedAt = new Date();
  const t0 = performance.now();
  log(
    `${SMOKE ? 'smoke' : 'full'} run: ${DURATION} s × ${ROUNDS} round(s) per target, ${CONNECTIONS} connections, list sizes ${LIST_SIZES.join(', ')}`,
  );
  const main = build();
  const refDir = prepareReference();

  // PostgreSQL: a dedicated database on DATABASE_URL's server, or taskwire's embedded server.
  let twDatabaseUrl = null;
  let dataDir = mkdtempSync(path.join(os.tmpdir(), 'taskwire-bench-data-'));
  scratch.push(dataDir);
  if (BASE_DATABASE_URL) {
    benchDb = 'taskwire_bench';
    await withDb(BASE_DATABASE_URL, async (db) => {
      await db.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
      await db.query(`CREATE DATABASE ${benchDb}`);
    });
    twDatabaseUrl = dbUrl(BASE_DATABASE_URL, benchDb);
  }
  const tw = await startTaskwire(main, { env: twEnv({ APP_ROLE: 'api', DATABASE_URL: twDatabaseUrl, DATA_DIR: dataDir }) });
  let sharedUrl = twDatabaseUrl;
  if (!sharedUrl) {
    const { port } = JSON.parse(readFileSync(path.join(dataDir, 'postgres.owner.json'), 'utf8'));
    const password = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
    sharedUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/taskwire`;
  }
  const pgVersion = await withDb(sharedUrl, async (db) => (await db.query('SHOW server_version')).rows[0].server_version);
  log(`taskwire ready on ${tw.url} (${tw.readyMs.toFixed(0)} ms), PostgreSQL ${pgVersion}`);

  const refPort = await unusedPort();
  const ref = track(
    spawn(process.execPath, ['server.js'], {
      cwd: refDir,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { PATH: process.env.PATH, DATABASE_URL: sharedUrl, PORT: String(refPort), JWT_SECRET, PG_POOL: '10' },
    }),
    'reference',
  );
  const refUrl = `http://127.0.0.1:${refPort}`;
  serverPids[0] = ref.pid;
  serverPids[1] = tw.child.pid;
  const refToken = hs256({ sub: randomUUID(), role: 'manager' }, JWT_SECRET);
  // Up to 2 minutes: on a loaded machine (CI right after the test suites) its start-up was seen to take over 60 s.
  let lastAnswer = 'no answer';
  for (let i = 0; ; i++) {
    if (ref.exitCode !== null) throw new Error(`reference exited with ${ref.exitCode}`);
    const res = await fetch(`${refUrl}/tasks/${randomUUID()}`, { headers: { authorization: `Bearer ${refToken}` } }).catch((err) => {
      lastAnswer = String(err?.cause?.code ?? err);
      return null;
    });
    if (res?.status === 404) break;
    if (res) lastAnswer = `HTTP ${res.status}`;
    if (i > 4800) throw new Error(`reference not ready on ${refUrl} (last: ${lastAnswer})`);
    await sleep(25);
  }
  await withDb(sharedUrl, (db) => db.query('TRUNCATE bench_ref_tasks, bench_ref_outbox'));

  // Users through the API: the admin from ADMIN_EMAIL, a manager (the load), two members.
  const { accessToken: adminToken } = await api(tw.url, 'POST', '/api/v1/auth/login', ADMIN);
  const mkUser = async (role, tag) => {
    const email = `bench-${tag}@taskwire.test`;
    const user = await api(
      tw.url,
      'POST',
      '/api/v1/users',
      { email, name: `Bench ${tag}`, password: 'bench-password-123', role },
      adminToken,
    );
    const { accessToken } = await api(tw.url, 'POST', '/api/v1/auth/login', { email, password: 'bench-password-123' });
    return { ...user, token: accessToken };
  };
  const manager = await mkUser('manager', 'manager');
  const member = await mkUser('member', 'member');
  const starter = await mkUser('member', 'starter');
  const assignees = [member.id, ...Array.from({ length: 99 }, () => randomUUID())];
  const twAuth = { authorization: `Bearer ${manager.token}` };
  const refAuth = { authorization: `Bearer ${refToken}` };

  const results = { scenarios: [], seeding: [], pipeline: [], rss: null, coldStart: null, profile: null };
  const db = new Client({ connectionString: sharedUrl });
  db.on('error', () => {}); // the embedded server stops with taskwire during cleanup (e.g. on SIGINT)
  await db.connect();
  try {
    let seeded = 0;
    const listScenario = async (size) => {
      const ms = await seed(db, seeded, size, assignees, manager.id);
      results.seeding.push({ rows: size - seeded, ms });
      log(`seeded ${size - seeded} tasks into each table in ${(ms / 1000).toFixed(1)} s`);
      seeded = size;
      const q = `?assigneeId=${member.id}&state=in_progress&limit=20`;
      results.scenarios.push({
        ...(await compare(`GET /tasks?assigneeId&state @${size >= 1e6 ? size / 1e6 + 'M' : size / 1e3 + 'k'}`, [
          { opts: () => ({ url: `${refUrl}/tasks${q}`, headers: refAuth }) },
          { opts: () => ({ url: `${tw.url}/api/v1/tasks${q}`, headers: twAuth }) },
        ])),
        kind: 'list',
        size,
      });
    };

    // 1. filtered list at the first size (before other scenarios add rows)
    if (wants('list')) await listScenario(LIST_SIZES[0]);
    else {
      results.seeding.push({ rows: LIST_SIZES[0], ms: await seed(db, 0, LIST_SIZES[0], assignees, manager.id) });
      seeded = LIST_SIZES[0];
    }

    // 2. GET /tasks/:id — random ids among the seeded rows of each table
    const twIds = (await db.query('SELECT id FROM tasks.tasks ORDER BY random() LIMIT 1000')).rows.map((r) => r.id);
    const refIds = (await db.query('SELECT id FROM bench_ref_tasks ORDER BY random() LIMIT 1000')).rows.map((r) => r.id);
    const byId = (base, ids, headers) => () => {
      let i = 0;
      return {
        url: base,
        headers,
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `${new URL(base).pathname}/${ids[i++ % ids.length]}` }) }],
      };
    };
    if (wants('get'))
      results.scenarios.push({
        ...(await compare('GET /tasks/:id', [
          { opts: byId(`${refUrl}/tasks`, refIds, refAuth) },
          { opts: byId(`${tw.url}/api/v1/tasks`, twIds, twAuth) },
        ])),
        kind: 'read',
      });

    // 3. POST /tasks, sampling taskwire's RSS while it runs
    const body = JSON.stringify({ title: 'Benchmark task', description: 'Created by bench/run.mjs', priority: 'high' });
    const post = (url, headers) => () => ({ url, method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    const rssSamples = [];
    const sampleRss = () => {
      const timer = setInterval(() => rssSamples.push(rssMb(tw.child.pid)), 200);
      return () => clearInterval(timer);
    };
    if (wants('post'))
      results.scenarios.push({
        ...(await compare('POST /tasks', [{ opts: post(`${refUrl}/tasks`, refAuth) }, { opts: post(`${tw.url}/api/v1/tasks`, twAuth) }], {
          onTwRun: sampleRss,
        })),
        kind: 'write',
      });
    if (rssSamples.length) results.rss = { maxMb: Math.max(...rssSamples), p50Mb: pct(rssSamples, 50), samples: rssSamples.length };
    if (results.rss) log(`taskwire RSS during POST: max ${results.rss.maxMb.toFixed(0)} MB`);

    // 3b. POST /tasks again while OPEN_STREAMS member streams are open (taskwire only). The manager's
    //     tasks are private, so each event's visibility must be decided for every member stream: this
    //     row shows what the fan-out costs a write, next to the plain POST /tasks row above.
    if (wants('streams')) {
      const streams = await openMemberStreams(tw.url, OPEN_STREAMS, mkUser);
      try {
        results.scenarios.push({
          ...(await compare(`POST /tasks with ${OPEN_STREAMS} open streams`, [null, { opts: post(`${tw.url}/api/v1/tasks`, twAuth) }])),
          kind: 'write',
          note: `${OPEN_STREAMS} member streams (${STREAMS_PER_MEMBER} per member) that may not see the tasks written`,
        });
        const stillOpen = streams.filter((s) => !s.ended).length;
        log(`${stillOpen} of ${streams.length} member streams still open after the row`);
        results.scenarios.at(-1).note += `; ${stillOpen} of ${streams.length} still open at the end`;
        const received = streams.reduce((n, s) => n + s.events, 0);
        if (received !== 0) throw new Error(`member streams received ${received} events of tasks they may not see`);
      } finally {
        for (const s of streams) s.close();
      }
    }

    // 4. transition assigned → in_progress by the assignee (taskwire only: the reference has no such route)
    const transitionIds = (
      await db.query(
        `INSERT INTO tasks.tasks (id, title, priority, state, creator_id, assignee_id, labels, version, created_at, updated_at)
         SELECT gen_random_uuid(), 'to start ' || g, 'normal', 'assigned', $2::uuid, $3::uuid, '{}', 1, now(), now()
           FROM generate_series(1, $1::int) g RETURNING id`,
        [TRANSITION_TASKS, manager.id, starter.id],
      )
    ).rows.map((r) => r.id);
    let tIndex = 0; // shared across warm-up and rounds: every request starts a different task
    const transition = () => ({
      url: tw.url,
      headers: { authorization: `Bearer ${starter.token}`, 'content-type': 'application/json' },
      requests: [
        {
          method: 'POST',
          body: JSON.stringify({ state: 'in_progress' }),
          setupRequest: (req) => ({ ...req, path: `/api/v1/tasks/${transitionIds[tIndex++ % transitionIds.length]}/transition` }),
        },
      ],
    });
    if (wants('transition'))
      results.scenarios.push({
        ...(await compare('POST /tasks/:id/transition', [null, { opts: transition }])),
        kind: 'transition',
        note: `${TRANSITION_TASKS} pre-assigned tasks; ids past that wrap and answer 409`,
      });

    // 5. the remaining list sizes; the table already holds the rows the POST scenario created, they are
    //    not the member's and do not change the filtered page
    if (wants('list')) for (const size of LIST_SIZES.slice(1)) await listScenario(size);

    // 6. CPU profile of taskwire during POST and GET by id (separate process, so it does not skew the ratios)
    if (PROFILE) {
      const profDir = mkdtempSync(path.join(os.tmpdir(), 'taskwire-bench-prof-'));
      scratch.push(profDir);
      const prof = await startTaskwire(main, {
        env: twEnv({ APP_ROLE: 'api', DATABASE_URL: twDatabaseUrl ?? sharedUrl, DATA_DIR: dataDir }),
        nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
        name: 'taskwire-profiled',
      });
      const auth = {
        authorization: `Bearer ${(await api(prof.url, 'POST', '/api/v1/auth/login', { email: 'bench-manager@taskwire.test', password: 'bench-password-123' })).accessToken}`,
      };
      log('profiling POST /tasks and GET /tasks/:id');
      const skipMs = performance.now() - prof.spawnedAt; // start-up is not what we are after
      await cannon(post(`${prof.url}/api/v1/tasks`, auth)());
      await cannon(byId(`${prof.url}/api/v1/tasks`, twIds, auth)());
      await stopChild(prof.child);
      const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error('no .cpuprofile written');
      results.profile = summariseProfile(JSON.parse(readFileSync(path.join(profDir, file), 'utf8')), ROOT, { skipMs });
      const keep = path.join(os.tmpdir(), 'taskwire-bench-last.cpuprofile');
      copyFileSync(path.join(profDir, file), keep);
      results.profile.file = keep;
    }
  } finally {
    await db.end();
  }

  await stopChild(ref);
  await stopChild(tw.child);

  // 7. notification pipeline: BullMQ on PostgreSQL (embedded defaults), then Redis when REDIS_URL is set
  // Steady load per issue 15: 50 events/s on BullMQ's PostgreSQL backend, 100/s on Redis (smoke: PIPE.RATE).
  if (PIPELINE)
    results.pipeline.push(
      await pipeline('embedded (BullMQ on PostgreSQL)', { DATABASE_URL: '', REDIS_URL: '', ...(SMOKE ? {} : { RATE: '50' }) }),
    );
  if (PIPELINE && BASE_DATABASE_URL && !SMOKE)
    results.pipeline.push(
      await pipeline('PostgreSQL, BullMQ on PostgreSQL', {
        DATABASE_URL: BASE_DATABASE_URL,
        REDIS_URL: '',
        ...(SMOKE ? {} : { RATE: '50' }),
      }),
    );
  if (PIPELINE && REDIS_URL)
    results.pipeline.push(await pipeline('PostgreSQL + Redis', { DATABASE_URL: BASE_DATABASE_URL ?? '', REDIS_URL }));

  // 8. embedded cold start to ready
  if (COLD_START) results.coldStart = await coldStart(main);

  const meta = {
    startedAt,
    elapsedS: (performance.now() - t0) / 1000,
    smoke: SMOKE,
    full: FULL,
    duration: DURATION,
    rounds: ROUNDS,
    connections: CONNECTIONS,
    cpus: os.cpus(),
    totalMem: os.totalmem(),
    node: process.version,
    pgVersion,
    postgres: BASE_DATABASE_URL ? `DATABASE_URL server, database ${benchDb}` : 'taskwire embedded PostgreSQL (reference attached to it)',
    redis: REDIS_URL,
    loadavgStart: startLoad,
    loadavgEnd: os.loadavg(),
    command: process.env.npm_lifecycle_event
      ? `npm run ${process.env.npm_lifecycle_event}`
      : `node bench/run.mjs ${process.argv.slice(2).join(' ')}`,
    env: { DATABASE_URL: BASE_DATABASE_URL, REDIS_URL, BENCH_FULL: FULL ? '1' : undefined },
  };
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, 'benchmarks.svg'), renderSvg(results, meta));
  writeFileSync(path.join(OUT, 'benchmarks.md'), renderMarkdown(results, meta));
  writeFileSync(
    path.join(OUT, 'benchmarks.json'),
    JSON.stringify({ meta: { ...meta, cpus: meta.cpus.map(({ model, speed }) => ({ model, speed })) }, results }, null, 2),
  );
  console.log(renderMarkdown(results, meta, { summaryOnly: true }));
  log(`wrote ${path.join(OUT, 'benchmarks.md')} and benchmarks.svg in ${meta.elapsedS.toFixed(0)} s`);
}

const startLoad = os.loadavg();
try {
  await main();
  await cleanup();
  process.exit(0);
} catch (err) {
  console.error(`bench: harness failure: ${err?.stack ?? err}`);
  await cleanup();
  process.exit(1);
}
