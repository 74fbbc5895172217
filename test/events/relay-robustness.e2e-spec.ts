import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { newId } from '../../src/kernel';
import { EventView } from '../../src/modules/events';
import { OutboxRelay } from '../../src/modules/events/infrastructure/outbox-relay';
import { RelaySettings } from '../../src/modules/events/infrastructure/relay.settings';
import { EventProbe, EventProbeModule, probeEvent } from '../support/fixtures/event-probe.module';
import { freePort } from '../support/process-runner';
import { TestApp, eventually, startTestApp } from '../support/test-app';

async function insertEvents(db: Client, aggregates: string[], perAggregate: number): Promise<void> {
  // Interleaved across aggregates, as concurrent writers would produce them.
  for (let round = 0; round < perAggregate; round++) {
    const values: string[] = [];
    const params: unknown[] = [];
    for (const aggregateId of aggregates) {
      params.push(newId(), aggregateId, `race:${aggregateId}:${round}`, JSON.stringify({ round }));
      const n = params.length;
      values.push(`($${n - 3}, 'probe.raced', 'probe', $${n - 2}, now(), $${n}, $${n - 1})`);
    }
    await db.query(
      `INSERT INTO events.events (id, type, aggregate_type, aggregate_id, occurred_at, payload, idempotency_key) VALUES ${values.join(',')}`,
      params,
    );
  }
}

describe('outbox relay under contention and outages', () => {
  describe('two relays racing', () => {
    let t: TestApp;
    let db: Client;
    beforeAll(async () => {
      t = await startTestApp({ extraImports: [EventProbeModule] });
      await t.running.app.get(OutboxRelay).stop(); // only the two relays below run
      db = new Client({ connectionString: t.databaseUrl });
      await db.connect();
    });
    afterAll(async () => {
      await db?.end();
      await t?.close();
    });

    it('enqueue each of 5,000 events exactly once and keep every aggregate in order', async () => {
      const aggregates = Array.from({ length: 50 }, () => newId());
      await insertEvents(db, aggregates, 100);
      const enqueued: EventView[] = [];
      const recordingQueue = {
        addBulk: async (jobs: Array<{ data: EventView }>) => {
          await new Promise((r) => setTimeout(r, Math.random() * 5)); // let the relays interleave
          enqueued.push(...jobs.map((j) => j.data));
          return [];
        },
      } as unknown as Queue;
      const settings: RelaySettings = {
        enabled: true,
        databaseUrl: t.databaseUrl,
        batchSize: 97,
        pollIntervalMs: 20,
        enqueueTimeoutMs: 5000,
      };
      const dataSource = t.running.app.get<DataSource>(getDataSourceToken());
      const relays = [new OutboxRelay(dataSource, recordingQueue, settings), new OutboxRelay(dataSource, recordingQueue, settings)];
      await Promise.all(relays.map((r) => r.start()));
      try {
        await eventually(
          async () => Number((await db.query(`SELECT count(*) AS n FROM events.events WHERE published_at IS NULL`)).rows[0].n) === 0,
          60_000,
        );
      } finally {
        await Promise.all(relays.map((r) => r.stop()));
      }
      expect(relays.every((r) => r.stats.enqueued > 0)).toBe(true); // both really took part
      const raced = enqueued.filter((e) => e.type === 'probe.raced');
      expect(raced).toHaveLength(5000);
      expect(new Set(raced.map((e) => e.id)).size).toBe(5000);
      for (const aggregateId of aggregates) {
        const rounds = raced.filter((e) => e.aggregateId === aggregateId).map((e) => e.payload.round as number);
        expect(rounds).toEqual(Array.from({ length: 100 }, (_, i) => i));
      }
    });
  });

  describe('queue backend outage', () => {
    let t: TestApp;
    let probe: EventProbe;
    let redis: ChildProcess | null = null;
    let redisPort = 0;
    const useRedis = !!process.env.REDIS_URL && spawnSync('redis-server', ['--version']).status === 0;

    const startRedis = async () => {
      redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
        stdio: 'ignore',
      });
      await eventually(
        () =>
          spawnSync('redis-cli', ['-p', String(redisPort), 'ping'])
            .stdout?.toString()
            .includes('PONG'),
        10_000,
      );
    };
    const stopRedis = async () => {
      const r = redis;
      redis = null;
      if (r && r.exitCode === null) {
        const exited = new Promise((resolve) => r.once('exit', resolve));
        r.kill('SIGKILL');
        await exited;
      }
    };

    beforeAll(async () => {
      if (useRedis) {
        redisPort = await freePort();
        await startRedis(); // a private Redis we can stop without disturbing anything else
      }
      t = await startTestApp({
        extraImports: [EventProbeModule],
        env: { OUTBOX_POLL_INTERVAL: '100ms', ...(useRedis ? { REDIS_URL: `redis://127.0.0.1:${redisPort}` } : {}) },
      });
      probe = t.running.app.get(EventProbe);
    });
    afterAll(async () => {
      await t?.close();
      await stopRedis();
    });

    it('keeps accepting writes while the queue is down and delivers every event once it is back', async () => {
      const relay = t.running.app.get(OutboxRelay);
      const aggregateId = newId();
      let restore: () => Promise<void>;
      if (useRedis) {
        await stopRedis();
        restore = startRedis;
      } else {
        // BullMQ on PostgreSQL shares the database, so the outage is simulated at the queue client.
        const queue = (relay as unknown as { queue: Queue }).queue;
        const addBulk = queue.addBulk.bind(queue);
        queue.addBulk = async () => {
          throw new Error('simulated queue backend outage');
        };
        restore = async () => {
          queue.addBulk = addBulk;
        };
      }
      const failuresBefore = relay.stats.failures;
      for (let i = 0; i < 20; i++) await probe.publish([probeEvent(aggregateId, `outage:${aggregateId}:${i}`)]); // writes succeed
      await eventually(() => relay.stats.failures > failuresBefore, 15_000);
      const db = new Client({ connectionString: t.databaseUrl });
      await db.connect();
      const waiting = Number(
        (await db.query('SELECT count(*) AS n FROM events.events WHERE aggregate_id = $1 AND published_at IS NULL', [aggregateId])).rows[0]
          .n,
      );
      expect(waiting).toBe(20); // nothing lost: all wait in the outbox
      await restore();
      await eventually(() => probe.seen.filter((e) => e.aggregateId === aggregateId).length >= 20, 45_000);
      await new Promise((r) => setTimeout(r, 500));
      const seen = probe.seen.filter((e) => e.aggregateId === aggregateId).map((e) => e.id);
      expect(seen).toHaveLength(20);
      expect(new Set(seen).size).toBe(20);
      await db.end();
    });
  });
});
