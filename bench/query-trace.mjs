#!/usr/bin/env node
// Diagnostic: the SQL statements behind one request of each benchmarked route (pg calls recorded
// by bench/support/trace-queries.cjs). Needs DATABASE_URL (a scratch database is created and dropped).
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node bench/query-trace.mjs
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { Client } = require('pg');
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const base = process.env.DATABASE_URL;
if (!base) throw new Error('DATABASE_URL is required');
mkdirSync(path.join(ROOT, 'node_modules', '.cache'), { recursive: true });
const build = mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'taskwire-trace-'));
execFileSync(
  path.join(ROOT, 'node_modules', '.bin', 'swc'),
  ['src', 'migrations', '-d', build, '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'],
  { cwd: ROOT, stdio: 'inherit' },
);
const dbName = `taskwire_trace_${process.pid}`;
const admin = new Client({ connectionString: base });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const url = new URL(base);
url.pathname = `/${dbName}`;
const file = path.join(os.tmpdir(), `taskwire-trace-${process.pid}.log`);
writeFileSync(file, '');
const port = 5600 + Math.floor(Math.random() * 300);
const child = spawn(
  process.execPath,
  ['--require', path.join(ROOT, 'bench', 'support', 'trace-queries.cjs'), path.join(build, 'src', 'main.js')],
  {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      APP_ROLE: 'api',
      PORT: String(port),
      DATABASE_URL: url.toString(),
      JWT_SECRET: 'trace-secret-0123456789abcdef0123456789abcdef',
      ADMIN_EMAIL: 'trace@taskwire.test',
      ADMIN_PASSWORD: 'trace-password',
      LOG_LEVEL: 'warn',
      TRACE_QUERIES_FILE: file,
      QUEUE_PREFIX: `trace${process.pid}`,
    },
  },
);
try {
  const tw = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`taskwire exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${tw}/health/ready`)).status === 200) break;
    } catch {}
    if (i > 2400) throw new Error('not ready');
    await new Promise((r) => setTimeout(r, 25));
  }
  const call = async (method, p, body, token) => {
    const res = await fetch(`${tw}/api/v1${p}`, {
      method,
      headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
    return res.json().catch(() => null);
  };
  const { accessToken: token } = await call('POST', '/auth/login', { email: 'trace@taskwire.test', password: 'trace-password' });
  const me = await call('GET', '/users/me', undefined, token);
  await call('POST', '/tasks', { title: 'warm' }, token); // warm caches (user state, prepared metadata)
  const requests = [['POST /tasks', () => call('POST', '/tasks', { title: 'trace', description: 'x', priority: 'high' }, token)]];
  let task;
  const mark = () => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
  const report = async (label, fn) => {
    await new Promise((r) => setTimeout(r, 300));
    const before = mark();
    const out = await fn();
    await new Promise((r) => setTimeout(r, 300));
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(before);
    console.log(`\n${label}: ${lines.length} statements`);
    for (const l of lines) console.log(`  ${l.slice(14)}`);
    return out;
  };
  task = await report(requests[0][0], requests[0][1]);
  await report('GET /tasks/:id', () => call('GET', `/tasks/${task.id}`, undefined, token));
  await report('GET /tasks?assigneeId&state', () => call('GET', `/tasks?assigneeId=${me.id}&state=assigned`, undefined, token));
  const t2 = await call('POST', '/tasks', { title: 'to start', assigneeId: me.id }, token);
  await report('POST /tasks/:id/transition', () => call('POST', `/tasks/${t2.id}/transition`, { state: 'in_progress' }, token));
} finally {
  if (child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  rmSync(file, { force: true });
  rmSync(build, { recursive: true, force: true });
}
