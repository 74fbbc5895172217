import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { CurrentUser } from '../../users';
import { EventVisibilityRegistry } from '../application/ports/event-visibility.port';
import { EventStore } from '../application/ports/event-store.port';
import { StoredEvent, toEventView } from '../domain/stored-event';
import { LiveEventHub } from './live-event-hub';

const HEARTBEAT_MS = 15_000;
const REPLAY_PAGE = 500;

/**
 * Server-Sent Events: replays what the caller missed after `Last-Event-ID`, then streams live
 * events, each only if the caller may see it. Live events that arrive during the replay are held
 * back and delivered after it, without duplicates.
 */
@Injectable()
export class EventStreamService implements OnApplicationShutdown {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly hub: LiveEventHub,
    private readonly store: EventStore,
    private readonly visibility: EventVisibilityRegistry,
  ) {}

  get openStreams(): number {
    return this.open.size;
  }

  async stream(caller: CurrentUser, lastEventId: string | null, res: ServerResponse): Promise<void> {
    let lastSeq = lastEventId ? ((await this.store.seqOf(lastEventId)) ?? null) : null;
    let replaying = true;
    const held: StoredEvent[] = [];
    let chain: Promise<void> = Promise.resolve();

    const send = async (events: StoredEvent[]) => {
      for (const event of events) {
        if (lastSeq !== null && BigInt(event.seq) <= BigInt(lastSeq)) continue;
        lastSeq = event.seq;
        if (!(await this.visibility.canSee(caller, event.aggregateType, event.aggregateId))) continue;
        if (res.destroyed) return;
        res.write(`id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify(toEventView(event))}\n\n`);
      }
    };
    const unsubscribe = await this.hub.subscribe((events) => {
      if (replaying) held.push(...events);
      else chain = chain.then(() => send(events)).catch(() => undefined);
    });

    this.open.add(res);
    const heartbeat = setInterval(() => !res.destroyed && res.write(': keep-alive\n\n'), HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
      this.open.delete(res);
    };
    res.on('close', close);
    res.write(': connected\n\nretry: 2000\n\n');

    let cursor = lastSeq;
    while (cursor !== null && !res.destroyed) {
      const page = await this.store.list({}, REPLAY_PAGE, cursor);
      await send(page.items);
      cursor = page.nextAfterSeq;
    }
    replaying = false;
    chain = chain.then(() => send(held.splice(0))).catch(() => undefined);
  }

  onApplicationShutdown(): void {
    for (const res of this.open) res.end();
    this.open.clear();
  }
}
