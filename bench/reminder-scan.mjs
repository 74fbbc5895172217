#!/usr/bin/env node
// Due-date reminders at scale: does a schedule of many future reminders make the reminder scan or
// the write path slower? (issue 17: "1M tasks with due dates must not make the scan or the write
// path slower".)
//
//   node bench/reminder-scan.mjs            full run: 0 → 100k → 1M open tasks with future due dates
//   node bench/reminder-scan.mjs --smoke    0 → 20k, 1 s of load: harness check
//   BENCH_REMINDER_CONTROL=1 node bench/reminder-scan.mjs   the control: the same numbers of open tasks
//                                           WITHOUT due dates (no reminder rows), so what a larger
//                                           tasks table costs is told apart from what reminders cost
//   BENCH_REMINDER_CONTROL=no-reminders …    the second control: tasks WITH due dates (so the tasks'
//                                           own due_at index is as deep) but no reminder rows
//
// Per schedule size it measures, against the running app (APP_ROLE=all, so the worker's own scan
// runs beside it, as in production):
// - the claim the scan runs every second (postgres-task-reminder.schedule.ts, loaded from the build,
//   so the bench measures the real SQL), inside a rolled-back transaction: median / p99 ms, the
//   buffers EXPLAIN (ANALYZE, BUFFERS) reports, and whether the plan reads the partial index;
// - the next-moment look-up the scan sleeps on;
// - the write path: POST /api/v1/tasks with a dueAt (insert + the reminder rows) under autocannon.
// Seeding is one INSERT … SELECT generate_series for the tasks and one for their reminders.
//
// Env: DATABASE_URL (unset → taskwire's embedded PostgreSQL), BENCH_REMINDER_SIZES (e.g. 0,100000),
//      BENCH_DURATION (s of write load per size), BENCH_CONNECTIONS, BENCH_OUT (where the JSON goes).
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const { Client } = require('pg');

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SMOKE = process.argv.includes('--smoke') || process.env.BENCH_SMOKE === '1';
const CONTROL_KIND =
  process.env.BENCH_REMINDER_CONTROL === 'no-reminders'
    ? 'no-reminders'
    : process.env.BENCH_REMINDER_CONTROL === '1'
      ? 'no-due-dates'
      : null;
const CONTROL = CONTROL_KIND === 'no-due-dates';
const REMINDER_ROWS = CONTROL_KIND === null;
const SIZES = (process.env.BENCH_REMINDER_SIZES ?? (SMOKE ? '0,20000' : '0,100000,1000000')).split(',').map(Number);
const DURATION = Number(process.env.BENCH_DURATION ?? (SMOKE ? 1 : 6));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const SCAN_RUNS = SMOKE ? 50 : 300;
const OUT = process.env.BENCH_OUT
  ? path.resolve(process.env.BENCH_OUT)
  : path.join(os.tmpdir(), SMOKE ? 'taskwire-bench-smoke' : 'taskwire-bench');
const ADMIN = { email: 'bench-admin@taskwire.test', password: 'bench-admin-password' };
const LEAD_MS = 24 * 3_600_000;
const log = (...a) => console.log(`[reminder-bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const scratch = [];
let app = null;
let benchDb = null;
const BASE_DATABASE_URL = process.env.DATABASE_URL || null;
async function cleanup() {
  if (app && app.exitCode === null) {
    const exited = new Promise((r) => app.once('exit', r));
    app.kill('SIGTERM');
    const t = setTimeout(() => app.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(t);
  }
  if (benchDb) await withDb(BASE_DATABASE_URL, (db) => db.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`)).catch(() => {});
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
}
process.on('SIGINT', () => cleanup().finally(() => process.exit(130)));

async function withDb(url, fn) {
  const db = new Client({ connectionString: url });
  db.on('error', () => {});
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
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

async function main() {
  // Same swc transpile as `npm run build`, into a private folder (a concurrent build cannot empty it).
  mkdirSync(path.join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const buildDir = mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'taskwire-bench-reminders-'));
  scratch.push(buildDir);
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'swc'),
    ['src', 'migrations', '-d', buildDir, '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  const { CLAIM_DUE_REMINDERS_SQL, NEXT_FIRES_AT_SQL, reminderSyncSql } = require(
    path.join(buildDir, 'src', 'modules', 'tasks', 'infrastructure', 'postgres-task-reminder.schedule.js'),
  );

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'taskwire-bench-reminders-data-'));
  scratch.push(dataDir);
  let databaseUrl = null;
  if (BASE_DATABASE_URL) {
    benchDb = 'taskwire_bench_reminders';
    await withDb(BASE_DATABASE_URL, async (db) => {
      await db.query(`DROP DATABASE IF EXISTS ${benchDb} WITH (FORCE)`);
      await db.query(`CREATE DATABASE ${benchDb}`);
    });
    const u = new URL(BASE_DATABASE_URL);
    u.pathname = `/${benchDb}`;
    databaseUrl = u.toString();
  }
  const port = 3500 + Math.floor(Math.random() * 2000);
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    APP_ROLE: 'all',
    JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789abcdef',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    LOG_LEVEL: 'warn',
    RATE_LIMIT: '100000000/1m',
    AUTH_RATE_LIMIT: '100000/1m',
    EMAIL_TRANSPORT: 'log',
    DATA_DIR: dataDir,
    QUEUE_PREFIX: `bench-rem-${randomBytes(3).toString('hex')}`,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  };
  app = spawn(process.execPath, [path.join(buildDir, 'src', 'main.js')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (app.exitCode !== null) throw new Error(`taskwire exited with ${app.exitCode}`);
    if ((await fetch(`${base}/health/ready`).catch(() => null))?.status === 200) break;
    if (i > 4800) throw new Error('taskwire not ready');
    await sleep(25);
  }
  if (!databaseUrl) {
    const owner = JSON.parse(readFileSync(path.join(dataDir, 'postgres.owner.json'), 'utf8'));
    const password = readFileSync(path.join(dataDir, 'postgres-password'), 'utf8').trim();
    databaseUrl = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${owner.port}/taskwire`;
  }
  const { accessToken: adminToken } = await api(base, 'POST', '/api/v1/auth/login', ADMIN);
  const manager = await api(
    base,
    'POST',
    '/api/v1/users',
    { email: 'bench-mgr@taskwire.test', name: 'Bench', password: 'bench-password-123', role: 'manager' },
    adminToken,
  );
  const { accessToken: token } = await api(base, 'POST', '/api/v1/auth/login', {
    email: 'bench-mgr@taskwire.test',
    password: 'bench-password-123',
  });

  const db = new Client({ connectionString: databaseUrl });
  db.on('error', () => {});
  await db.connect();
  const rows = [];
  let seeded = 0;
  try {
    for (const size of SIZES) {
      if (size > seeded) {
        const t0 = performance.now();
        // Open tasks due 2..400 days ahead (beyond the 24 h lead: nothing is due), both reminders each;
        // in the control, the same tasks with no due date and no reminders.
        await db.query(
          `INSERT INTO tasks.tasks (id, title, priority, state, creator_id, due_at, labels, version, created_at, updated_at)
           SELECT gen_random_uuid(), 'due ' || g, 'normal', 'draft', $3::uuid,
                  CASE WHEN $4::boolean THEN NULL ELSE now() + interval '2 days' + (g % 398) * interval '1 day' + g * interval '1 ms' END,
                  '{}', 1, now(), now()
             FROM generate_series($1::int + 1, $2::int) AS g`,
          [seeded, size, manager.id, CONTROL],
        );
        if (REMINDER_ROWS)
          await db.query(
            `INSERT INTO tasks.task_reminders (task_id, kind, due_at)
             SELECT t.id, k, t.due_at FROM tasks.tasks t CROSS JOIN unnest(ARRAY['due_soon', 'overdue']) AS k
              WHERE t.title LIKE 'due %' AND NOT EXISTS (SELECT 1 FROM tasks.task_reminders r WHERE r.task_id = t.id)`,
          );
        // VACUUM, not only ANALYZE: a bulk insert this size sets off autovacuum, which would
        // otherwise run during the write load that follows and be measured as the write path.
        await db.query('VACUUM (ANALYZE) tasks.tasks');
        await db.query('VACUUM (ANALYZE) tasks.task_reminders');
        log(`seeded ${size - seeded} tasks ${CONTROL ? 'without' : 'with'} due dates (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
        seeded = size;
      }
      const claim = [];
      const next = [];
      for (let i = 0; i < SCAN_RUNS; i++) {
        const now = new Date();
        await db.query('BEGIN');
        let t = performance.now();
        await db.query(CLAIM_DUE_REMINDERS_SQL, [now, new Date(now.getTime() + LEAD_MS), LEAD_MS, 100]);
        claim.push(performance.now() - t);
        t = performance.now();
        await db.query(NEXT_FIRES_AT_SQL, [LEAD_MS]);
        next.push(performance.now() - t);
        await db.query('ROLLBACK');
      }
      // The write path's own statements, timed in the database's terms (median of many, so the
      // machine's noise that moves a 6 s HTTP run by ±15 % does not): a task INSERT like the app's,
      // then the reminder statement TaskRepository.save runs for it (reminderSyncSql, from the build).
      const taskInsert = [];
      const reminderSync = [];
      for (let i = 0; i < SCAN_RUNS; i++) {
        const id = crypto.randomUUID();
        const due = new Date(Date.now() + 30 * 86_400_000 + i);
        await db.query('BEGIN');
        let t = performance.now();
        await db.query(
          `INSERT INTO tasks.tasks (id, title, priority, state, creator_id, due_at, labels, version, created_at, updated_at)
           VALUES ($1, 'bench write', 'normal', 'draft', $2, $3, '{}', 1, now(), now())`,
          [id, manager.id, due],
        );
        taskInsert.push(performance.now() - t);
        const sync = reminderSyncSql({ id, dueAt: due, isFinal: false, toProps: () => ({ updatedAt: new Date() }) });
        t = performance.now();
        await db.query(sync.sql, sync.params);
        reminderSync.push(performance.now() - t);
        await db.query('ROLLBACK');
      }
      const now = new Date();
      await db.query('BEGIN');
      const plan = (
        await db.query(`EXPLAIN (ANALYZE, BUFFERS) ${CLAIM_DUE_REMINDERS_SQL}`, [now, new Date(now.getTime() + LEAD_MS), LEAD_MS, 100])
      ).rows
        .map((r) => r['QUERY PLAN'])
        .join('\n');
      await db.query('ROLLBACK');
      const buffers = [...plan.matchAll(/Buffers: shared hit=(\d+)(?: read=(\d+))?/g)].map((m) => Number(m[1]) + Number(m[2] ?? 0));
      const usesIndex = /Index (Only )?Scan using task_reminders_pending/.test(plan) && !/Seq Scan/.test(plan);

      const dueAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
      const res = await new Promise((resolve, reject) =>
        autocannon(
          {
            url: `${base}/api/v1/tasks`,
            method: 'POST',
            connections: CONNECTIONS,
            duration: DURATION,
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ title: 'bench write', dueAt }),
          },
          (err, r) => (err ? reject(err) : resolve(r)),
        ),
      );
      const row = {
        scheduledTasks: size,
        claimMedianMs: pct(claim, 50),
        claimP99Ms: pct(claim, 99),
        claimBuffers: Math.max(0, ...buffers),
        claimUsesIndex: usesIndex,
        nextMedianMs: pct(next, 50),
        taskInsertMedianMs: pct(taskInsert, 50),
        reminderSyncMedianMs: pct(reminderSync, 50),
        writeRps: res.requests.average,
        writeP50Ms: res.latency.p50,
        writeP99Ms: res.latency.p99,
        write2xx: res['2xx'],
        writeNon2xx: res.non2xx,
      };
      rows.push(row);
      log(JSON.stringify(row));
      if (!usesIndex) log(`claim plan at ${size}:\n${plan}`);
    }
  } finally {
    await db.end();
  }
  mkdirSync(OUT, { recursive: true });
  writeFileSync(
    path.join(OUT, CONTROL_KIND ? `reminder-scan-control-${CONTROL_KIND}.json` : 'reminder-scan.json'),
    JSON.stringify(
      { smoke: SMOKE, control: CONTROL_KIND, at: new Date().toISOString(), connections: CONNECTIONS, durationS: DURATION, rows },
      null,
      2,
    ),
  );
  console.log(
    `\n| ${CONTROL ? 'open tasks, no due dates (control)' : REMINDER_ROWS ? 'tasks with due dates' : 'tasks with due dates, no reminder rows (control)'} | claim median / p99 (ms) | claim buffers | index scan | next-moment median (ms) | task INSERT / reminder statement median (ms) | POST /tasks with dueAt req/s | p50 / p99 (ms) |`,
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) {
    console.log(
      `| ${r.scheduledTasks.toLocaleString('en')} | ${r.claimMedianMs.toFixed(2)} / ${r.claimP99Ms.toFixed(2)} | ${r.claimBuffers} | ${r.claimUsesIndex ? 'yes' : 'NO'} | ${r.nextMedianMs.toFixed(2)} | ${r.taskInsertMedianMs.toFixed(2)} / ${r.reminderSyncMedianMs.toFixed(2)} | ${r.writeRps.toFixed(0)} | ${r.writeP50Ms} / ${r.writeP99Ms} |`,
    );
  }
  return rows.every((r) => r.claimUsesIndex && r.writeNon2xx === 0) ? 0 : 1;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (err) => {
    console.error(err);
    await cleanup();
    process.exit(1);
  });
