// Outbox → relay → queue → event bus, measured in-process on the built app (dist/).
//   npm run build && node bench/event-pipeline.mjs                     # embedded PostgreSQL, BullMQ on PostgreSQL
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/taskwire_bench REDIS_URL=redis://127.0.0.1:6379 node bench/event-pipeline.mjs
// Reports relay throughput (events/s from commit to job enqueued, burst of BURST events) and
// commit → handler latency p50/p99 at a steady RATE events/s.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const require = createRequire(import.meta.url);
const { bootstrap } = require('../dist/src/bootstrap.js');
const { AppConfig } = require('../dist/src/platform/config/index.js');
const { UnitOfWork, newId } = require('../dist/src/kernel/index.js');
const { EventPublisher, OnDomainEvent } = require('../dist/src/modules/events/index.js');
const { Injectable, Module } = require('@nestjs/common');

const BURST = Number(process.env.BURST ?? 5000);
const RATE = Number(process.env.RATE ?? 100);
const STEADY_SECONDS = Number(process.env.STEADY_SECONDS ?? 10);

const received = new Map(); // event id → hrtime ms
class Probe {
  async seen(event) {
    received.set(event.id, performance.now());
  }
}
const descriptor = Object.getOwnPropertyDescriptor(Probe.prototype, 'seen');
OnDomainEvent('bench.happened', 'bench.probe')(Probe.prototype, 'seen', descriptor);
Object.defineProperty(Probe.prototype, 'seen', descriptor);
Injectable()(Probe);
class ProbeModule {}
Module({ providers: [Probe] })(ProbeModule);

async function ensureDatabase(url) {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (!rowCount) await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
}

const dataDir = mkdtempSync(join(tmpdir(), 'taskwire-bench-events-'));
if (process.env.DATABASE_URL) await ensureDatabase(process.env.DATABASE_URL);
const config = AppConfig.fromEnv({
  ...process.env,
  DATA_DIR: dataDir,
  PORT: '0',
  LOG_LEVEL: 'warn',
  QUEUE_PREFIX: `bench-${Date.now()}`,
  OUTBOX_POLL_INTERVAL: '1000ms',
});
const running = await bootstrap({ config, extraImports: [ProbeModule] });
const uow = running.app.get(UnitOfWork);
const publisher = running.app.get(EventPublisher);
const event = (aggregateId) => ({
  id: newId(),
  type: 'bench.happened',
  aggregateType: 'bench',
  aggregateId,
  actorId: null,
  occurredAt: new Date(),
  payload: {},
  idempotencyKey: newId(),
});
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const waitAll = async (ids, timeoutMs) => {
  const deadline = Date.now() + timeoutMs;
  while (ids.some((id) => !received.has(id))) {
    if (Date.now() > deadline) throw new Error(`only ${ids.filter((id) => received.has(id)).length}/${ids.length} handled`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

try {
  // Warm-up
  const warm = [];
  for (let i = 0; i < 200; i++) {
    const e = event(newId());
    warm.push(e.id);
    await uow.run(() => publisher.publish([e]));
  }
  await waitAll(warm, 60_000);

  // Burst: BURST events committed as fast as possible (batches of 50 per transaction).
  const burstIds = [];
  const t0 = performance.now();
  for (let i = 0; i < BURST; i += 50) {
    const batch = Array.from({ length: Math.min(50, BURST - i) }, () => event(newId()));
    burstIds.push(...batch.map((e) => e.id));
    await uow.run(() => publisher.publish(batch));
  }
  const committedMs = performance.now() - t0;
  const db = new pg.Client({ connectionString: running.databaseUrl });
  await db.connect();
  for (;;) {
    const { rows } = await db.query('SELECT count(*)::int AS n FROM events.events WHERE published_at IS NULL');
    if (rows[0].n === 0) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const enqueuedMs = performance.now() - t0;
  await waitAll(burstIds, 300_000);
  const handledMs = Math.max(...burstIds.map((id) => received.get(id))) - t0;
  await db.end();

  // Steady: RATE events/s, one per transaction, latency commit → handler.
  const latencies = [];
  const steadyIds = [];
  const commitAt = new Map();
  const interval = 1000 / RATE;
  const start = performance.now();
  for (let i = 0; i < RATE * STEADY_SECONDS; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const e = event(newId());
    steadyIds.push(e.id);
    await uow.run(() => publisher.publish([e]));
    commitAt.set(e.id, performance.now());
  }
  await waitAll(steadyIds, 120_000);
  for (const id of steadyIds) latencies.push(received.get(id) - commitAt.get(id));

  const backend = config.redisUrl ? 'Redis' : 'PostgreSQL (BullMQ backend)';
  const database = config.databaseUrl ? 'PostgreSQL server' : 'embedded PostgreSQL';
  console.log(
    JSON.stringify(
      {
        backend,
        database,
        burst: {
          events: BURST,
          commitSeconds: +(committedMs / 1000).toFixed(2),
          relayEventsPerSecond: Math.round(BURST / (enqueuedMs / 1000)),
          handledEventsPerSecond: Math.round(BURST / (handledMs / 1000)),
        },
        steady: {
          ratePerSecond: RATE,
          events: steadyIds.length,
          commitToHandlerMs: {
            p50: +pct(latencies, 50).toFixed(1),
            p99: +pct(latencies, 99).toFixed(1),
            max: +Math.max(...latencies).toFixed(1),
          },
        },
      },
      null,
      2,
    ),
  );
} finally {
  await running.close();
  rmSync(dataDir, { recursive: true, force: true });
}
