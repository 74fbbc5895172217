import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { HttpProblemError } from '../../../platform/http';
import { CallerWatch } from '../../users';
import type { AuthSession, CallerWatchEnd } from '../../users';
import { EventAudience, EventVisibilityRegistry } from '../application/ports/event-visibility.port';
import { EventStore } from '../application/ports/event-store.port';
import { StoredEvent, toEventView } from '../domain/stored-event';
import { LiveEventHub } from './live-event-hub';
import { StreamSettings } from './stream.settings';

const HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 500;
/** How long after a replay the live feed's copies of replayed events are still recognised. */
const REPLAY_DEDUPE_MS = 30_000;
/** Retry-After of a refused stream: long enough for a tab to close, short enough to feel live. */
const STREAM_RETRY_AFTER_SECONDS = 5;

/**
 * A stream further behind than this is closed with a comment saying so, and its client resumes with
 * `Last-Event-ID` (the replay reads the database): memory stays bounded however slowly a client reads
 * or however fast events come. Events waiting to be judged and written, and bytes the socket has
 * not sent yet.
 */
const MAX_QUEUED_EVENTS = 2_000;
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** What a stream writes to (a ServerResponse; an in-memory sink in unit tests). */
export interface SseSink {
  readonly destroyed: boolean;
  /** Bytes written but not yet sent (a ServerResponse's); absent in sinks that never buffer. */
  readonly writableLength?: number;
  write(chunk: string): boolean;
  end(): void;
  on(event: 'close', listener: () => void): unknown;
}

/** A place among the open streams, taken before the response starts (so a refusal can still be a 429). */
export interface StreamSlot {
  readonly userId: string;
  release(): void;
}

type StreamEnd = CallerWatchEnd | 'lagging';

const CLOSING: Record<StreamEnd, string> = {
  lagging: 'the stream fell too far behind; reconnect with Last-Event-ID to resume',
  deactivated: 'the account can no longer sign in',
  expired: 'the access token expired; reconnect with a fresh token and Last-Event-ID',
  unavailable: 'the caller could not be re-checked; reconnect with Last-Event-ID',
};

/**
 * Server-Sent Events: replays what the caller missed after `Last-Event-ID`, then streams live
 * events, each only if the caller may see it. Live events that arrive during the replay are held
 * back and delivered after it, without duplicates.
 *
 * - Each stream follows its caller's *current* rights (CallerWatch from the Users context): every
 *   event is judged by the role the caller has when it is sent, and the stream closes when the user
 *   is deactivated or its access token expires.
 * - The cost per event does not grow with the number of streams: the hub hands every stream the
 *   same event objects, and each event's audience (one lookup, e.g. the task and its watchers) and
 *   its SSE frame are computed once, memoised per event object, then every stream is filtered in
 *   memory.
 * - Open streams are capped per user and per process (StreamSettings); beyond it `reserve` throws a
 *   429 problem before anything is written.
 */
@Injectable()
export class EventStreamService implements OnApplicationShutdown {
  private readonly open = new Set<SseSink>();
  private readonly perUser = new Map<string, number>();
  private reserved = 0;
  private readonly audiences = new WeakMap<StoredEvent, EventAudience>();
  private readonly frames = new WeakMap<StoredEvent, string>();

  constructor(
    private readonly hub: LiveEventHub,
    private readonly store: EventStore,
    private readonly visibility: EventVisibilityRegistry,
    private readonly callers: CallerWatch,
    private readonly settings: StreamSettings,
  ) {}

  get openStreams(): number {
    return this.open.size;
  }

  /** Takes a place for one more stream of this user. @throws 429 TOO_MANY_STREAMS past either cap. */
  reserve(userId: string): StreamSlot {
    const mine = this.perUser.get(userId) ?? 0;
    if (mine >= this.settings.maxPerUser) {
      throw tooManyStreams(
        `At most ${this.settings.maxPerUser} event streams may be open per user; close one and retry`,
        this.settings.maxPerUser,
      );
    }
    if (this.reserved >= this.settings.maxPerProcess) {
      throw tooManyStreams(
        `This server holds its maximum of ${this.settings.maxPerProcess} event streams; retry later`,
        this.settings.maxPerProcess,
      );
    }
    this.perUser.set(userId, mine + 1);
    this.reserved++;
    let released = false;
    return {
      userId,
      release: () => {
        if (released) return;
        released = true;
        this.reserved--;
        const left = (this.perUser.get(userId) ?? 1) - 1;
        if (left > 0) this.perUser.set(userId, left);
        else this.perUser.delete(userId);
      },
    };
  }

  async stream(slot: StreamSlot, session: AuthSession, lastEventId: string | null, res: SseSink): Promise<void> {
    let ended = false;
    const end = (reason?: StreamEnd) => {
      if (ended) return;
      ended = true;
      if (!res.destroyed) {
        if (reason) res.write(`: closing: ${CLOSING[reason]}\n\n`);
        res.end();
      }
    };
    const caller = this.callers.watch(session, (reason) => end(reason));
    let replaying = true;
    const held: StoredEvent[] = [];
    // Live events arrive in commit order, which is not `seq` order: a transaction that inserted its
    // event first may commit last (a reminder scan, a long use case). So the live feed is never
    // filtered by seq; only what the replay sent (Last-Event-ID) may come again from the live feed,
    // and those ids are skipped until the replay is well behind us.
    let replayed: Set<string> | null = null;

    const send = async (events: StoredEvent[], fromReplay = false) => {
      for (const event of events) {
        if (fromReplay) (replayed ??= new Set()).add(event.id);
        else if (replayed?.has(event.id)) continue;
        const now = await caller.current();
        if (now === null || ended || res.destroyed) return;
        if (!(await this.audienceOf(event).includes(now))) continue;
        if (ended || res.destroyed) return;
        res.write(this.frameOf(event));
      }
    };
    // Live events wait in one array per stream (references to the hub's shared event objects, a
    // few bytes each) and one loop sends them: a stream that cannot keep up costs its queue, bounded
    // below, not a promise chain per delivered batch. A failed check or write ends the stream: the
    // client resumes with Last-Event-ID, without a gap.
    const queue: StoredEvent[] = [];
    let draining = false;
    let sending = 0; // events of the batch being sent, still counted as waiting
    const drain = async () => {
      draining = true;
      try {
        while (queue.length > 0 && !ended) {
          const batch = queue.splice(0, queue.length);
          sending = batch.length;
          await send(batch);
        }
      } catch {
        end('unavailable');
      } finally {
        draining = false;
        sending = 0;
      }
    };
    const enqueue = (events: StoredEvent[]) => {
      if (ended) return;
      const waiting = queue.length + sending + events.length;
      if (waiting > MAX_QUEUED_EVENTS || (res.writableLength ?? 0) > MAX_BUFFERED_BYTES) return end('lagging');
      for (const event of events) queue.push(event);
      if (!draining) void drain();
    };
    let unsubscribe: (() => void) | null = null;
    let closed = false;
    const heartbeat = setInterval(() => !res.destroyed && res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = () => {
      if (closed) return;
      closed = ended = true;
      clearInterval(heartbeat);
      unsubscribe?.();
      caller.stop();
      this.open.delete(res);
      slot.release();
    };
    this.open.add(res);
    res.on('close', close);
    if (res.destroyed) return close();

    try {
      const stop = await this.hub.subscribe((events) => {
        if (!replaying) return enqueue(events);
        if (held.length + events.length > MAX_QUEUED_EVENTS) return end('lagging');
        held.push(...events);
      });
      if (closed) return stop();
      unsubscribe = stop;
      // The first bytes (and with them the 200 the controller set) go out only now: a client that
      // saw the response start can rely on every event committed after it (the first stream of a
      // process used to miss those committed while its LISTEN connection was being set up).
      res.write(': connected\n\nretry: 2000\n\n');
      let cursor = lastEventId ? ((await this.store.seqOf(lastEventId)) ?? null) : null;
      while (cursor !== null && !ended) {
        const page = await this.store.list({}, REPLAY_PAGE, cursor);
        await send(page.items, true);
        cursor = page.nextAfterSeq;
      }
    } catch {
      end('unavailable');
    }
    replaying = false;
    enqueue(held.splice(0));
    // A replayed event's own NOTIFY can only trail the replay by moments; then the ids can go.
    if (replayed) setTimeout(() => (replayed = null), REPLAY_DEDUPE_MS).unref();
  }

  onApplicationShutdown(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }

  /** The audience of an event, shared by every stream that is handed the same event object. */
  private audienceOf(event: StoredEvent): EventAudience {
    let audience = this.audiences.get(event);
    if (!audience) {
      audience = this.visibility.audienceOf(event.aggregateType, event.aggregateId);
      this.audiences.set(event, audience);
    }
    return audience;
  }

  private frameOf(event: StoredEvent): string {
    let frame = this.frames.get(event);
    if (frame === undefined) {
      frame = `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(toEventView(event))}\n\n`;
      this.frames.set(event, frame);
    }
    return frame;
  }
}

function tooManyStreams(detail: string, limit: number): HttpProblemError {
  return new HttpProblemError(
    429,
    'TOO_MANY_STREAMS',
    detail,
    { limit, retryAfterSeconds: STREAM_RETRY_AFTER_SECONDS },
    { 'retry-after': String(STREAM_RETRY_AFTER_SECONDS) },
  );
}
