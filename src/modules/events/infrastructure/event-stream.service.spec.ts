import { EventEmitter } from 'node:events';
import { permissionsOf } from '../../users';
import type { AuthSession, CallerWatch, CurrentUser, Role } from '../../users';
import type { EventStore } from '../application/ports/event-store.port';
import { EventVisibilityService } from '../application/event-visibility.service';
import type { StoredEvent } from '../domain/stored-event';
import { EventStreamService, SseSink } from './event-stream.service';
import type { LiveEventHub } from './live-event-hub';

/** The hub's contract as the stream uses it: every subscriber is handed the same event objects. */
class FakeHub {
  private readonly subscribers = new Set<(events: StoredEvent[]) => void>();
  async subscribe(subscriber: (events: StoredEvent[]) => void): Promise<() => void> {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }
  publish(events: StoredEvent[]): void {
    for (const s of this.subscribers) s(events);
  }
}

class MemorySink extends EventEmitter implements SseSink {
  destroyed = false;
  /** What a ServerResponse reports as written but not yet sent (a client that reads slowly). */
  writableLength = 0;
  readonly chunks: string[] = [];
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  end(): void {
    this.destroyed = true;
    this.emit('close');
  }
  get eventIds(): string[] {
    return this.chunks.filter((c) => c.startsWith('id: ')).map((c) => c.slice(4, c.indexOf('\n')));
  }
}

/** Callers that never change (CallerWatch's own behaviour has its own spec). */
const fixedCallers = {
  watch: (session: AuthSession) => ({ current: async () => session.caller, stop: () => undefined }),
} as unknown as CallerWatch;

const user = (n: number, role: Role): CurrentUser => ({
  id: `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`,
  role,
  permissions: permissionsOf(role),
});
const taskEvent = (seq: number, taskId: string): StoredEvent => ({
  seq: String(seq),
  id: `01a00000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
  type: 'task.updated',
  aggregateType: 'task',
  aggregateId: taskId,
  actorId: null,
  occurredAt: new Date('2026-01-01T00:00:00Z'),
  correlationId: null,
  causationId: null,
  payload: {},
  idempotencyKey: `k${seq}`,
  publishedAt: null,
});
const settle = () => new Promise((r) => setImmediate(r));

describe('EventStreamService fan-out: an event’s visibility is decided once, whatever the number of streams', () => {
  const services: EventStreamService[] = [];
  afterEach(() => services.splice(0).forEach((s) => s.onApplicationShutdown())); // ends the streams and their heartbeats

  async function openStreams(callers: CurrentUser[], audienceOf: (taskId: string) => Set<string>) {
    const hub = new FakeHub();
    const visibility = new EventVisibilityService();
    const lookups: string[] = [];
    visibility.register('task', async (taskId) => {
      lookups.push(taskId);
      const audience = audienceOf(taskId);
      return (caller) => audience.has(caller.id);
    });
    const service = new EventStreamService(hub as unknown as LiveEventHub, {} as EventStore, visibility, fixedCallers, {
      maxPerUser: 10,
      maxPerProcess: 1000,
    });
    services.push(service);
    const sinks = callers.map(() => new MemorySink());
    await Promise.all(
      callers.map((caller, i) =>
        service.stream(service.reserve(caller.id), { caller, tokenVersion: 1, expiresAt: new Date(Date.now() + 60_000) }, null, sinks[i]),
      ),
    );
    return { hub, lookups, sinks, service };
  }

  it('N member streams → one audience lookup per event, and each stream gets exactly what its caller may see', async () => {
    const members = Array.from({ length: 50 }, (_, i) => user(i + 1, 'member'));
    const insiders = new Set([members[3].id, members[17].id]);
    const { hub, lookups, sinks } = await openStreams(members, () => insiders);

    const first = taskEvent(1, 'task-a');
    const second = taskEvent(2, 'task-b');
    hub.publish([first]);
    hub.publish([second]);
    await settle();

    expect(lookups).toEqual(['task-a', 'task-b']); // not 50 × 2
    sinks.forEach((sink, i) => expect([i, sink.eventIds]).toEqual([i, insiders.has(members[i].id) ? [first.id, second.id] : []]));
  });

  it('needs no lookup at all while every stream belongs to a caller with events:read', async () => {
    const { hub, lookups, sinks } = await openStreams([user(1, 'manager'), user(2, 'admin')], () => new Set());
    const event = taskEvent(1, 'task-a');
    hub.publish([event]);
    await settle();
    expect(lookups).toEqual([]);
    expect(sinks.map((s) => s.eventIds)).toEqual([[event.id], [event.id]]);
  });

  it('closes a stream whose client reads too slowly (1 MiB unsent), saying why, and keeps serving the others', async () => {
    const { hub, sinks, service } = await openStreams([user(1, 'admin'), user(2, 'admin')], () => new Set());
    hub.publish([taskEvent(1, 'task-a')]);
    await settle();
    sinks[0].writableLength = 1024 * 1024 + 1;
    hub.publish([taskEvent(2, 'task-a')]);
    await settle();
    expect(sinks[0].destroyed).toBe(true);
    expect(sinks[0].chunks.at(-1)).toContain('fell too far behind; reconnect with Last-Event-ID');
    expect(sinks[0].eventIds).toEqual([taskEvent(1, 'task-a').id]);
    expect(sinks[1].eventIds).toEqual([taskEvent(1, 'task-a').id, taskEvent(2, 'task-a').id]);
    expect(service.openStreams).toBe(1);
  });

  it('closes a stream with more than 2,000 events waiting to be judged, instead of queueing without bound', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { hub, sinks, service } = await openStreams([user(1, 'member')], () => new Set([user(1, 'member').id]));
    // The audience look-up hangs (a slow database): events pile up behind the first one.
    const visibility = (service as unknown as { visibility: EventVisibilityService }).visibility;
    visibility.register('task', async () => {
      await gate;
      return () => true;
    });
    for (let seq = 1; seq <= 2_001; seq++) hub.publish([taskEvent(seq, `task-${seq}`)]);
    await settle();
    expect(sinks[0].destroyed).toBe(true);
    expect(sinks[0].chunks.at(-1)).toContain('fell too far behind');
    release();
    await settle();
    expect(sinks[0].eventIds).toEqual([]);
  });

  it('refuses a stream past the per-user and the per-process cap with 429 TOO_MANY_STREAMS, and frees the place on close', () => {
    const service = new EventStreamService({} as LiveEventHub, {} as EventStore, new EventVisibilityService(), fixedCallers, {
      maxPerUser: 2,
      maxPerProcess: 3,
    });
    const a = service.reserve('a');
    service.reserve('a');
    expect(() => service.reserve('a')).toThrow(expect.objectContaining({ status: 429, code: 'TOO_MANY_STREAMS' }));
    service.reserve('b');
    expect(() => service.reserve('c')).toThrow(expect.objectContaining({ status: 429, code: 'TOO_MANY_STREAMS' }));
    a.release();
    a.release(); // twice is once
    expect(() => service.reserve('c')).not.toThrow();
    expect(() => service.reserve('d')).toThrow(expect.objectContaining({ status: 429 }));
  });
});
