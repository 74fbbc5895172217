import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { StoredEvent } from '../domain/stored-event';
import { EVENT_COLUMNS, EventRow, toStoredEvent } from './event-row.mapper';
import { PgNotificationListener } from '../../../platform/database';
import { EVENTS_CHANNEL } from './postgres-event.store';
import { RelaySettings } from './relay.settings';

type Subscriber = (events: StoredEvent[]) => void;

/** Ids of the events fanned out lately, so a look-back fetch does not hand one out twice. */
const RECENT_IDS = 10_000;
/**
 * How far back a fetch without ids (a NOTIFY too large to carry them, or a re-established LISTEN)
 * looks besides `seq > last`: a transaction that inserted its event earlier (lower seq) may commit
 * after later ones were fanned out.
 */
const LOOK_BACK = '60 seconds';

/**
 * Fans committed events out to live streams in this process. Events reach it through PostgreSQL
 * NOTIFY (sent at commit by whichever process wrote them), so a stream held open here sees events
 * written by any API or worker process. Listening starts with the first subscriber.
 */
@Injectable()
export class LiveEventHub implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveEventHub');
  private readonly subscribers = new Set<Subscriber>();
  private listener: PgNotificationListener | null = null;
  private starting: Promise<void> | null = null;
  private lastSeq = '0';
  private fetching: Promise<void> = Promise.resolve();
  /** What the next (queued, not yet started) fetch is to bring: these ids, or everything new ('*'). */
  private queuedIds: Set<string> | null = null;
  private queuedAll = false;
  private readonly recent = new Set<string>();
  /** The database's clock when listening began: a look-back never reaches events from before it. */
  private listeningSince = new Date();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly settings: RelaySettings,
  ) {}

  async subscribe(subscriber: Subscriber): Promise<() => void> {
    this.subscribers.add(subscriber);
    await this.ensureListening();
    return () => this.subscribers.delete(subscriber);
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  async onApplicationShutdown(): Promise<void> {
    this.subscribers.clear();
    await this.listener?.stop();
    this.listener = null;
  }

  private ensureListening(): Promise<void> {
    this.starting ??= (async () => {
      const rows: Array<{ seq: string | null; now: Date }> = await this.dataSource.query(
        'SELECT max(seq)::text AS seq, now() AS now FROM events.events',
      );
      this.lastSeq = rows[0]?.seq ?? '0';
      this.listeningSince = rows[0]?.now ?? new Date();
      this.listener = new PgNotificationListener(
        this.settings.databaseUrl,
        EVENTS_CHANNEL,
        (payload) => this.onNotify(payload),
        () => this.onNotify('*'),
      );
      await this.listener.start();
    })().catch((err: Error) => {
      this.starting = null;
      throw err;
    });
    return this.starting;
  }

  private onNotify(payload: string): void {
    // Serialised, so subscribers see events in the order they were fetched; and coalesced: while a
    // fetch runs, the notifications that arrive wait for one next fetch together, so a burst faster
    // than the database answers costs one query per round, not a queue that grows with the burst.
    const fetchQueued = this.queuedAll || this.queuedIds !== null;
    if (payload === '*') this.queuedAll = true;
    else {
      this.queuedIds ??= new Set();
      for (const id of payload.split(',')) if (id) this.queuedIds.add(id);
    }
    if (fetchQueued) return;
    this.fetching = this.fetching
      .then(() => {
        const payloadNow = this.queuedAll ? '*' : [...(this.queuedIds ?? [])].join(',');
        this.queuedAll = false;
        this.queuedIds = null;
        return this.fetchAndPublish(payloadNow);
      })
      .catch((err: Error) => this.logger.warn(`live fetch failed: ${err.message}`));
  }

  private remember(id: string): void {
    this.recent.add(id);
    if (this.recent.size > RECENT_IDS) this.recent.delete(this.recent.values().next().value!);
  }

  private async fetchAndPublish(payload: string): Promise<void> {
    if (this.subscribers.size === 0) return;
    const ids = payload === '*' ? [] : payload.split(',').filter(Boolean);
    const rows: EventRow[] = ids.length
      ? await this.dataSource.query(`SELECT ${EVENT_COLUMNS} FROM events.events WHERE id = ANY($1::uuid[]) ORDER BY events.seq`, [ids])
      : await this.dataSource.query(
          `SELECT ${EVENT_COLUMNS} FROM events.events
            WHERE seq > $1 OR (occurred_at > now() - interval '${LOOK_BACK}' AND recorded_at >= $2)
            ORDER BY events.seq LIMIT 2000`,
          [this.lastSeq, this.listeningSince],
        );
    const events = rows.map(toStoredEvent).filter((e) => !this.recent.has(e.id));
    if (events.length === 0) return;
    for (const e of events) {
      if (BigInt(e.seq) > BigInt(this.lastSeq)) this.lastSeq = e.seq;
      this.remember(e.id);
    }
    for (const subscriber of this.subscribers) {
      try {
        subscriber(events);
      } catch (err) {
        this.logger.warn(`stream subscriber failed: ${(err as Error).message}`);
      }
    }
  }
}
