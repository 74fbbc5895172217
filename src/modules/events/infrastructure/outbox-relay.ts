import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { Queue } from 'bullmq';
import { EventEmitter2, EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import { ClsService } from 'nestjs-cls';
import { Registry } from 'prom-client';
import { DataSource, EntityManager } from 'typeorm';
import { QueueBackendSettings, QueueNames } from '../../../platform/queue';
import { runWithJobContext } from '../../../platform/context';
import { withJobSpan } from '../../../platform/tracing';
import type { TraceCarrier } from '../../../platform/tracing';
import { RelayedEventHandlers } from '../application/ports/relayed-event-handlers.port';
import { EventView, toEventView } from '../domain/stored-event';
import { EventJobData } from './event-job-data';
import { EVENT_COLUMNS, EventRow, toStoredEvent } from './event-row.mapper';
import { OutboxMetrics } from './outbox-metrics';
import { PgNotificationListener } from '../../../platform/database';
import { EVENTS_CHANNEL } from './postgres-event.store';
import { RelaySettings } from './relay.settings';

interface RelayedEvent {
  seq: string;
  view: EventView;
  traceContext: TraceCarrier | null;
  /** Handlers that ran for it in the relay's transaction (a hint on the job: the bus checks it). */
  handled: string[];
}

/**
 * How long a batch handler may wait for a lock (e.g. on a `handler_runs` row a per-event job is
 * inserting) before the relay gives up on handling the batch itself and leaves it to the bus.
 */
const RELAYED_HANDLER_LOCK_TIMEOUT = '2s';
/** Opens a batch handler's savepoint, with the lock timeout it runs under (rolled back with it). */
const OPEN_HANDLER_SAVEPOINT = `SAVEPOINT relayed_handler; SET LOCAL lock_timeout = '${RELAYED_HANDLER_LOCK_TIMEOUT}'`;
/** EVENT_COLUMNS read from the claim's `kept` rows (built once: the claim runs on every relay batch). */
const KEPT_EVENT_COLUMNS = EVENT_COLUMNS.split(', ')
  .map((c) => `k.${c}`)
  .join(', ');
/** Relay loops per process (see start()). */
const RELAY_LOOPS = 2;

/**
 * Several statements in one round trip on the transaction's connection (the simple query protocol,
 * no parameters), with each statement's rows: TypeORM's `query` returns none for such a call.
 */
async function simpleQuery(em: EntityManager, sql: string): Promise<Array<{ rows: unknown[] }>> {
  const client = (await em.queryRunner!.connect()) as { query(sql: string): Promise<Array<{ rows: unknown[] }> | { rows: unknown[] }> };
  const result = await client.query(sql);
  return Array.isArray(result) ? result : [result];
}

export interface RelayStats {
  batches: number;
  enqueued: number;
  failures: number;
  lastError: string | null;
}

/**
 * Moves committed, unpublished events from the outbox to the `events` queue.
 *
 * - Wakes on NOTIFY (sent by the inserting transaction at commit) and polls as a fallback.
 * - Claims a batch with `FOR UPDATE SKIP LOCKED`, so several relays in several processes share the
 *   work without blocking each other; within a batch it stops an aggregate at the first older
 *   event another relay still holds, so events of one aggregate are enqueued in their log order.
 * - The BullMQ job id is the event id: re-enqueueing after a crash between `add` and commit creates
 *   no duplicate job.
 * - When the queue backend is down, the transaction rolls back: events wait in the table and the
 *   relay retries with backoff — nothing is lost and nothing has to be replayed by hand.
 * - Batch-capable handlers (RelayedEventHandlers, e.g. the notification publisher) run for the whole
 *   batch inside this transaction, each under a savepoint with its `handler_runs` rows: their work,
 *   "handled" and "published" commit together — one transaction per batch, not one per event. A
 *   handler that fails (or waits on a lock too long) is rolled back to its savepoint alone and the
 *   bus runs it per event as before. An event some other listener still has to run for gets its job
 *   (which finds the relay's handlers done in handler_runs); one handled whole gets none, and the
 *   relay records its `process events` span and "handled" log line after the commit (docs/operations.md).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboxRelay');
  private listener: PgNotificationListener | null = null;
  private running = false;
  private loop: Promise<void> | null = null;
  private readonly waiters = new Set<{ finish: () => void; wakeable: boolean }>();
  private pendingWake = false;
  private listenersSubscribed = false;
  readonly stats: RelayStats = { batches: 0, enqueued: 0, failures: 0, lastError: null };
  private readonly metrics: OutboxMetrics | null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue(QueueNames.events) private readonly queue: Queue,
    private readonly settings: RelaySettings,
    /** The shared Prometheus registry (MetricsModule); absent when a test builds a relay by hand. */
    @Optional() registry?: Registry,
    /** Batch handlers and the ambient transaction they write in; absent when a test builds a relay by hand. */
    @Optional() private readonly relayedHandlers?: RelayedEventHandlers,
    @Optional() private readonly txHost?: TransactionHost<TransactionalAdapterTypeOrm>,
    @Optional() private readonly cls?: ClsService,
    /** Which queue backend runs: its retention of completed jobs (QueueBackendSettings); absent when built by hand. */
    @Optional() private readonly backend?: QueueBackendSettings,
    /** The bus: how many listeners each event type has (see relayBatch). Absent when built by hand. */
    @Optional() private readonly emitter?: EventEmitter2,
    @Optional() listenersReady?: EventEmitterReadinessWatcher,
  ) {
    // Listener counts mean something only once every listener has subscribed (at bootstrap).
    void listenersReady?.waitUntilReady().then(() => (this.listenersSubscribed = true));
    this.metrics = registry ? OutboxMetrics.on(registry, dataSource) : null;
  }

  /** The relay's transaction: the ambient one (UnitOfWork) when batch handlers may write in it. */
  private transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    const { txHost, cls } = this;
    if (!txHost || !cls || !this.relayedHandlers?.list().length) return this.dataSource.transaction(work);
    return cls.run(() => txHost.withTransaction(() => work(txHost.tx)));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.settings.enabled) return;
    await this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.listener = new PgNotificationListener(
      this.settings.databaseUrl,
      EVENTS_CHANNEL,
      () => this.nudge(),
      () => this.nudge(),
    );
    await this.listener.start().catch((err: Error) => this.logger.warn(`LISTEN unavailable, polling only: ${err.message}`));
    // Two loops: while one batch's transaction runs, the other claims what committed meanwhile (SKIP
    // LOCKED keeps their batches apart, the gap check keeps each aggregate in order), so at a steady
    // rate an event waits for at most a batch in flight, not for a batch and the next.
    this.loop = Promise.all(Array.from({ length: RELAY_LOOPS }, () => this.run())).then(() => undefined);
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.nudge();
    await this.loop;
    await this.listener?.stop();
    this.listener = null;
  }

  /** Wake a sleeping loop now (a NOTIFY arrived, or a test wants it); stopping wakes every sleep. */
  nudge(): void {
    if (!this.running) {
      for (const waiter of [...this.waiters]) waiter.finish();
      return;
    }
    const sleeper = [...this.waiters].find((w) => w.wakeable);
    if (sleeper) sleeper.finish();
    else this.pendingWake = true; // both busy: the first to finish its batch goes again at once
  }

  private async run(): Promise<void> {
    let backoffMs = 0;
    while (this.running) {
      let moved = 0;
      try {
        moved = await this.relayBatch();
        backoffMs = 0;
      } catch (err) {
        this.stats.failures += 1;
        this.stats.lastError = (err as Error).message;
        this.metrics?.failures.inc();
        backoffMs = Math.min(backoffMs ? backoffMs * 2 : 250, 5000);
        this.logger.warn(`relay batch failed (retrying in ${backoffMs} ms): ${(err as Error).message}`);
      }
      if (!this.running) break;
      if (backoffMs) await this.sleep(backoffMs, false);
      else if (moved < this.settings.batchSize) await this.sleep(this.settings.pollIntervalMs, true);
    }
  }

  /** Sleeps `ms`; a wakeable sleep ends early on a nudge (or at once if one is pending). */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (wakeable && this.pendingWake) {
      this.pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.waiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      const waiter = { finish, wakeable };
      this.waiters.add(waiter);
    });
  }

  /**
   * One claim → enqueue → mark cycle. Returns how many events were enqueued.
   *
   * An event whose every listener ran in this transaction (the batch handlers handled it, and the
   * bus has no other listener for its type) gets no job: after the commit the relay records its
   * `process events` span and its "handled" log line itself (reportHandled) — a job would only carry
   * those, at a queue round trip, a worker fetch and a completion (a commit, on BullMQ's PostgreSQL
   * backend) per event. Every other event's job is added before the commit, as the outbox guarantee
   * requires (a crash after the commit must not lose it).
   */
  async relayBatch(): Promise<number> {
    let afterCommit: RelayedEvent[] = [];
    const moved = await this.transaction(async (em) => {
      const withHandlers = Boolean(this.txHost && this.relayedHandlers?.list().length);
      const rows = await this.claim(em, withHandlers);
      if (rows.length === 0) return 0;
      const events: RelayedEvent[] = rows.map((row) => {
        const event = toStoredEvent(row);
        return { seq: event.seq, view: toEventView(event), traceContext: row.trace_context ?? null, handled: [] };
      });
      await this.runRelayedHandlers(em, events, withHandlers);
      afterCommit = events.filter((e) => this.fullyHandled(e));
      const deferred = new Set(afterCommit);
      await this.enqueue(events.filter((e) => !deferred.has(e)));
      this.stats.batches += 1;
      this.stats.enqueued += events.length;
      return events.length;
    });
    if (moved > 0 && this.metrics) {
      // Counted after the commit: a rolled-back batch was not relayed.
      this.metrics.batches.inc();
      this.metrics.relayed.inc(moved);
    }
    if (afterCommit.length) this.reportHandled(afterCommit);
    return moved;
  }

  /**
   * What an event job would have recorded for events handled whole in the relay's committed
   * transaction: the `process events` span, a child of the trace that appended the event, and the
   * "handled" log line in the event's context (correlation id, event id as causation).
   */
  private reportHandled(events: readonly RelayedEvent[]): void {
    for (const { view, traceContext, handled } of events) {
      const log = async () =>
        this.logger.debug({ eventType: view.type, ran: handled, skipped: [] }, `event ${view.type} handled at the relay`);
      void withJobSpan(
        {
          queue: QueueNames.events,
          jobId: view.id,
          jobName: view.type,
          attributes: { 'taskwire.event.id': view.id, 'taskwire.event.type': view.type, 'taskwire.event.handled_at_relay': true },
        },
        traceContext,
        () => (this.cls ? runWithJobContext(this.cls, { correlationId: view.correlationId, eventId: view.id }, log) : log()),
      );
    }
  }

  /** Every listener of the event's type ran in the relay's transaction (see relayBatch). */
  private fullyHandled(event: RelayedEvent): boolean {
    if (!this.emitter || !this.listenersSubscribed || event.handled.length === 0) return false;
    return this.emitter.listenerCount(event.view.type) <= event.handled.length;
  }

  /**
   * Runs each batch handler for the batch, under a savepoint (the first one opened by the claim's
   * round trip): claims its `handler_runs` rows (events some per-event job already handled are left
   * out) while the handler already plans — its reads run on other connections — then lets it write
   * for the claimed ones. On any failure only the savepoint is rolled back: the events then reach the
   * handler through the bus, one by one.
   */
  private async runRelayedHandlers(em: EntityManager, events: RelayedEvent[], savepointOpen: boolean): Promise<void> {
    let open = savepointOpen;
    for (const handler of this.relayedHandlers?.list() ?? []) {
      if (!this.txHost) break; // a relay built by hand writes through `em` only
      const types = new Set(handler.types);
      const candidates = events.filter((e) => types.has(e.view.type));
      if (candidates.length === 0) continue;
      // One round trip (no parameters: the simple protocol takes both statements at once).
      if (!open) await em.query(OPEN_HANDLER_SAVEPOINT);
      open = false;
      const claimed = em
        .query(
          `INSERT INTO events.handler_runs (event_id, handler) SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING RETURNING event_id`,
          [candidates.map((e) => e.view.id), handler.name],
        )
        .then((rows: Array<{ event_id: string }>) => {
          const ids = new Set(rows.map((r) => r.event_id));
          return candidates.filter((e) => ids.has(e.view.id));
        });
      claimed.catch(() => undefined); // awaited below; a handler that fails first must not leave it unobserved
      try {
        const txHost = this.txHost;
        await handler.handleRelayed(
          candidates.map((e) => e.view),
          (read) => txHost.withoutTransaction(read),
          async () => (await claimed).map((e) => e.view),
        );
        const mine = await claimed;
        // No RELEASE: the commit keeps a savepoint's work, a next handler's savepoint nests in this one
        // (ROLLBACK TO names the newest), and the rest of the transaction takes no lock the 2 s lock
        // timeout could cut short — one round trip less per batch.
        for (const e of mine) e.handled.push(handler.name);
      } catch (err) {
        await claimed.catch(() => undefined); // its statement precedes the rollback on the connection
        await em.query(`ROLLBACK TO SAVEPOINT relayed_handler`);
        this.logger.warn(
          `batch handler ${handler.name} failed for ${candidates.length} events (they go through the bus): ${(err as Error).message}`,
        );
      }
    }
  }

  /**
   * Claims a batch and marks it published, in one statement: the unpublished events in log order
   * (`FOR UPDATE SKIP LOCKED`, so concurrent relays take disjoint batches), keeping per aggregate only
   * those before the first older unpublished event this batch does not hold (another relay holds it,
   * or it committed late): those go first, so one aggregate's events always reach the queue in log
   * order. The events left out stay locked, unpublished, until this transaction ends.
   *
   * With batch handlers to run, the same round trip also opens their first savepoint (see
   * runRelayedHandlers): the simple query protocol takes several statements at once, which is why
   * the batch size is written into the text (a validated integer) instead of being a parameter.
   */
  private async claim(em: EntityManager, openSavepoint: boolean): Promise<Array<EventRow & { trace_context: TraceCarrier | null }>> {
    const limit = Math.trunc(this.settings.batchSize);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`invalid relay batch size ${this.settings.batchSize}`);
    const sql = `WITH claimed AS MATERIALIZED (
         SELECT e.* FROM events.events e WHERE e.published_at IS NULL ORDER BY e.seq LIMIT ${limit} FOR UPDATE SKIP LOCKED
       ), kept AS (
         SELECT c.* FROM claimed c
          WHERE NOT EXISTS (
            SELECT 1 FROM events.events g
             WHERE g.published_at IS NULL AND g.aggregate_id = c.aggregate_id AND g.seq < c.seq
               AND g.id NOT IN (SELECT id FROM claimed))
       ), published AS (
         UPDATE events.events e SET published_at = now() FROM kept k WHERE e.id = k.id RETURNING e.id
       )
       SELECT ${KEPT_EVENT_COLUMNS}, k.trace_context
         FROM kept k WHERE k.id IN (SELECT id FROM published) ORDER BY k.seq`;
    if (!openSavepoint) return em.query(sql);
    const results = await simpleQuery(em, `${sql}; ${OPEN_HANDLER_SAVEPOINT}`);
    return results[0].rows as Array<EventRow & { trace_context: TraceCarrier | null }>;
  }

  private async enqueue(events: RelayedEvent[]): Promise<void> {
    if (events.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`queue backend did not accept ${events.length} jobs within ${this.settings.enqueueTimeoutMs} ms`)),
        this.settings.enqueueTimeoutMs,
      );
    });
    try {
      await Promise.race([
        this.queue.addBulk(
          events.map(({ view, traceContext, handled }) => ({
            name: view.type,
            data: {
              ...view,
              ...(traceContext ? { traceContext } : {}),
              ...(handled.length ? { handledAtRelay: handled } : {}),
            } satisfies EventJobData,
            opts: { jobId: view.id, ...(this.backend ? { removeOnComplete: this.backend.completedRetention } : {}) },
          })),
        ),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}
