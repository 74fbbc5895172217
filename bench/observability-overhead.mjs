#!/usr/bin/env node
// Throughput cost of the observability features, measured in one run, same machine, same database:
//
//   off      the HTTP metrics hook not installed (preload), tracing off
//   metrics  the default: Prometheus metrics on, tracing off
//   tracing  metrics on and OpenTelemetry on (OTLP/HTTP to a local sink that discards)
//
// against a probe (GET /health/live: no DB, never traced) and a cheap authenticated route
// (GET /api/v1/users/me: JWT check + one SQL query, traced with its SQL span). The three processes
// run side by side and are measured in turn, in a rotating order, so load drift hits each alike.
//
// Reported per mode: throughput (req/s) and the server process's CPU time per request (from
// /proc/<pid>/stat), the latter being far less sensitive to other load on the machine.
//
//   node bench/observability-overhead.mjs
//   (embedded PostgreSQL of its own, or DATABASE_URL=…; ROUNDS=5 DURATION=5 CONNECTIONS=20)
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const autocannon = require('autocannon');
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
// A build of its own (under node_modules/.cache so Node finds the dependencies): a concurrent
// `npm run build` cannot pull dist/ from under the running processes.
mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
const BUILD = mkdtempSync(join(ROOT, 'node_modules', '.cache', 'taskwire-bench-'));
execFileSync(
  join(ROOT, 'node_modules', '.bin', 'swc'),
  ['src', 'migrations', '-d', BUILD, '--config-file', '.swcrc', '--quiet', '--ignore', '**/*.spec.ts'],
  { cwd: ROOT },
);
const MAIN = join(BUILD, 'src', 'main.js');
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const DURATION = Number(process.env.DURATION ?? 5);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 20);
const DATABASE_URL = process.env.DATABASE_URL; // unset: one embedded PostgreSQL shared by the three processes
const sharedDataDir = mkdtempSync(join(tmpdir(), 'taskwire-bench-'));

// An OTLP/HTTP sink: accepts span batches and drops them (what a collector costs us is not measured).
const sink = createServer((req, res) => req.on('data', () => undefined).on('end', () => res.writeHead(200).end('{}')));
await new Promise((r) => sink.listen(0, '127.0.0.1', r));
const sinkUrl = `http://127.0.0.1:${sink.address().port}`;

const MODES = {
  off: { args: ['--require', join(ROOT, 'bench', 'support', 'no-http-metrics.js')], env: {} },
  metrics: { args: [], env: {} },
  tracing: { args: [], env: { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_SERVICE_NAME: 'taskwire-bench' } },
};

const children = new Set();
process.on('exit', () => {
  children.forEach((c) => c.kill('SIGKILL'));
  rmSync(BUILD, { recursive: true, force: true });
});
process.on('SIGINT', () => process.exit(130));

async function startApp(mode, port) {
  const child = spawn(process.execPath, [...MODES[mode].args, MAIN], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      PATH: process.env.PATH,
      BENCH_BUILD: BUILD,
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      ...(DATABASE_URL ? { DATABASE_URL } : {}),
      DATA_DIR: sharedDataDir,
      DB_POOL_SIZE: '5',
      JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789abcdef',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      RATE_LIMIT: '100000000/1m',
      AUTH_RATE_LIMIT: '100000/1m',
      QUEUE_PREFIX: `bench-${randomBytes(3).toString('hex')}`,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
      ...MODES[mode].env,
    },
  });
  children.add(child);
  let output = '';
  child.stdout.on('data', (c) => (output = (output + c).slice(-20_000)));
  child.stderr.on('data', (c) => (output = (output + c).slice(-20_000)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${mode}: the process exited with ${child.exitCode}:\n${output}`);
    if (i > 1200) throw new Error(`${mode}: not ready within 2 minutes:\n${output}`);
    try {
      if ((await fetch(`${base}/health/ready`)).ok) break;
    } catch {
      /* starting */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const email = `bench-${randomBytes(5).toString('hex')}@taskwire.test`;
  const reg = await fetch(`${base}/api/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'bench-password-1', name: 'Bench' }),
  });
  const { accessToken } = await reg.json();
  if (!accessToken) throw new Error(`could not register in mode ${mode}: ${reg.status}`);
  return {
    base,
    accessToken,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      children.delete(child);
    },
  };
}

function cannon(url, headers, duration) {
  return new Promise((resolve, reject) =>
    autocannon({ url, connections: CONNECTIONS, duration, headers }, (err, result) => (err ? reject(err) : resolve(result))),
  );
}

/** user + system CPU seconds of a process so far (Linux). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

const ROUTES = {
  'GET /health/live': (app) => [`${app.base}/health/live`, {}],
  'GET /api/v1/users/me': (app) => [`${app.base}/api/v1/users/me`, { authorization: `Bearer ${app.accessToken}` }],
};

const results = {}; // route → mode → { rps: [], cpuUs: [] }
let port = 4100 + Math.floor(Math.random() * 500);
const apps = {};
for (const mode of Object.keys(MODES)) apps[mode] = await startApp(mode, port++); // the first one owns the embedded PostgreSQL
try {
  for (const [route, target] of Object.entries(ROUTES)) {
    for (const mode of Object.keys(MODES)) {
      const [url, headers] = target(apps[mode]);
      await cannon(url, headers, 2); // warm-up (JIT, pools)
    }
    for (let round = 1; round <= ROUNDS; round++) {
      // rotate the order each round, so load changes on the machine hit every mode alike
      const order = Object.keys(MODES).map((_, i, all) => all[(i + round) % all.length]);
      for (const mode of order) {
        const [url, headers] = target(apps[mode]);
        const cpuBefore = cpuSeconds(apps[mode].pid);
        const r = await cannon(url, headers, DURATION);
        const cpuUs = ((cpuSeconds(apps[mode].pid) - cpuBefore) / r.requests.total) * 1e6;
        if (r.non2xx || r.errors) throw new Error(`${mode} ${route}: ${r.non2xx} non-2xx, ${r.errors} errors`);
        const entry = ((results[route] ??= {})[mode] ??= { rps: [], cpuUs: [] });
        entry.rps.push(r.requests.total / ((r.finish - r.start) / 1000));
        entry.cpuUs.push(cpuUs);
        console.error(
          `round ${round} ${mode.padEnd(7)} ${route.padEnd(20)} ${(r.requests.total / ((r.finish - r.start) / 1000)).toFixed(0).padStart(6)} req/s  ${cpuUs.toFixed(0).padStart(5)} µs CPU/req  p99 ${r.latency.p99} ms`,
        );
      }
    }
  }
} finally {
  for (const mode of Object.keys(MODES).reverse()) await apps[mode].stop();
  rmSync(sharedDataDir, { recursive: true, force: true });
}
sink.close();

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\n${ROUNDS} rounds, ${CONNECTIONS} connections; median of the rounds (ratio to off)`);
console.log('| route | measure | off | metrics | metrics + tracing |');
console.log('|---|---|---|---|---|');
for (const [route, byMode] of Object.entries(results)) {
  for (const [measure, key] of [
    ['req/s', 'rps'],
    ['CPU µs/request', 'cpuUs'],
  ]) {
    const off = median(byMode.off[key]);
    const cell = (mode) => `${median(byMode[mode][key]).toFixed(0)} (${((median(byMode[mode][key]) / off) * 100).toFixed(0)} %)`;
    console.log(`| ${route} | ${measure} | ${off.toFixed(0)} | ${cell('metrics')} | ${cell('tracing')} |`);
  }
}
