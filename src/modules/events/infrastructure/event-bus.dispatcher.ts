import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2, EventEmitterReadinessWatcher } from '@nestjs/event-emitter';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { ClsService } from 'nestjs-cls';
import { MicroBatcher, UnitOfWork } from '../../../kernel';
import { CLS_CORRELATION_ID, setJobContext } from '../../../platform/context';
import { EventDelivery } from '../application/event-delivery';
import { EventView } from '../domain/stored-event';

export class HandlerFailuresError extends Error {
  constructor(readonly failures: Array<{ handler: string; error: Error }>) {
    super(`handlers failed: ${failures.map((f) => `${f.handler}: ${f.error.message}`).join('; ')}`);
  }
}

export interface DispatchResult {
  ran: string[];
  skipped: string[];
}

/**
 * The in-process event bus (EventEmitter2 via @nestjs/event-emitter): hands one event to every
 * handler subscribed to its type. Each handler's work runs in its own transaction together with a
 * row in `events.handler_runs`, so a handler runs to completion at most once per event: a retry of
 * the event (or a duplicate job) skips handlers that already succeeded. Handlers run with the
 * event's correlation id and the event as causation, so events they publish stay traceable; the
 * event id and the job id are in the context too, so every log line a handler writes carries them.
 */
@Injectable()
export class EventBusDispatcher {
  private readonly logger = new Logger('EventBus');
  /**
   * The look-ups of concurrent event jobs (EVENTS_CONCURRENCY at once), one `handler_runs` read per
   * batch: in a drain every event job asks, and one statement per event was half of the worker's
   * statements (bench/notification-pipeline.mjs with TRACE_QUERIES_FILE).
   */
  private readonly handledBatch = new MicroBatcher<{ eventId: string; handlers: readonly string[] }, Set<string>>(
    async (asks) => {
      const rows: Array<{ event_id: string; handler: string }> = await this.txHost.tx.query(
        `SELECT event_id, handler FROM events.handler_runs WHERE event_id = ANY($1::uuid[]) AND handler = ANY($2::text[])`,
        [[...new Set(asks.map((a) => a.eventId))], [...new Set(asks.flatMap((a) => a.handlers))]],
      );
      return asks.map((ask) => {
        const wanted = new Set(ask.handlers);
        return new Set(rows.filter((r) => r.event_id === ask.eventId && wanted.has(r.handler)).map((r) => r.handler));
      });
    },
    { maxBatch: 200, maxInFlight: 2 },
  );

  constructor(
    private readonly emitter: EventEmitter2,
    private readonly unitOfWork: UnitOfWork,
    private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>,
    private readonly cls: ClsService,
    private readonly listenersReady: EventEmitterReadinessWatcher,
  ) {}

  /**
   * `handledAtRelay`: handlers the relay says it ran for this event in its batch transaction. They
   * are looked up in `handler_runs` once, outside any transaction, and skipped when found — a
   * relayed event then costs one read instead of a transaction per handler. Not found (the relay's
   * transaction rolled back after the job was added): they run here as usual.
   */
  async dispatch(event: EventView, meta: { jobId?: string; handledAtRelay?: readonly string[] } = {}): Promise<DispatchResult> {
    // BullMQ workers start taking jobs at module init, but handlers subscribe only at application
    // bootstrap: an event handled in between would reach no handler and complete as if handled.
    await this.listenersReady.waitUntilReady();
    const ran: string[] = [];
    const skipped: string[] = [];
    const failures: Array<{ handler: string; error: Error }> = [];
    const done = !meta.handledAtRelay?.length ? new Set<string>() : await this.handledBefore(event.id, meta.handledAtRelay);
    const delivery: EventDelivery = {
      event,
      handledAtRelay: (handler) => done.has(handler),
      runOnce: async (handler, work) => {
        if (done.has(handler)) {
          skipped.push(handler);
          return;
        }
        try {
          const didRun = await this.runOnce(event, handler, work);
          (didRun ? ran : skipped).push(handler);
        } catch (err) {
          failures.push({ handler, error: err as Error });
          this.logger.warn(
            { eventId: event.id, eventType: event.type, correlationId: event.correlationId, handler, err },
            `handler ${handler} failed`,
          );
        }
      },
    };
    await this.cls.run(async () => {
      this.cls.set(CLS_CORRELATION_ID, event.correlationId ?? undefined);
      setJobContext(this.cls, { eventId: event.id, causationId: event.id, jobId: meta.jobId });
      await this.emitter.emitAsync(event.type, delivery);
    });
    if (failures.length) throw new HandlerFailuresError(failures);
    return { ran, skipped };
  }

  private async handledBefore(eventId: string, handlers: readonly string[]): Promise<Set<string>> {
    // Outside a transaction (the event job) the look-up joins the batch; inside one (a caller's own
    // transaction, whose uncommitted rows only it can see) it stays on that transaction.
    if (!this.txHost.isTransactionActive()) return this.handledBatch.submit({ eventId, handlers });
    const rows: Array<{ handler: string }> = await this.txHost.tx.query(
      `SELECT handler FROM events.handler_runs WHERE event_id = $1 AND handler = ANY($2::text[])`,
      [eventId, [...handlers]],
    );
    return new Set(rows.map((r) => r.handler));
  }

  private runOnce(event: EventView, handler: string, work: () => Promise<void>): Promise<boolean> {
    return this.unitOfWork.run(async () => {
      const claimed: unknown[] = await this.txHost.tx.query(
        `INSERT INTO events.handler_runs (event_id, handler) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
        [event.id, handler],
      );
      if (claimed.length === 0) return false; // done before (a concurrent duplicate waits above, then lands here)
      await work();
      return true;
    });
  }
}
