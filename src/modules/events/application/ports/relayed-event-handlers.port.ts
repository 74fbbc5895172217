import type { EventView } from '../../domain/stored-event';

/**
 * A bus handler that can also take a whole relay batch at once. The relay calls it inside its own
 * transaction (the ambient UnitOfWork transaction) for the events of the batch it claimed, while
 * recording a `handler_runs` row (same handler name) for each of them: the handler's rows, "handled"
 * and "published" commit together, in one transaction per batch instead of one per event. The
 * per-event bus path stays as the fallback (it then finds the handler done and skips it).
 */
export interface RelayedEventsHandler {
  /** The handler's name in `events.handler_runs`: the same name its per-event path uses. */
  readonly name: string;
  /** The event types it subscribes to (as on the bus): only those are claimed and handed to it. */
  readonly types: readonly string[];
  /**
   * Handles the events (of its types). Reads that need not see the transaction go through `outside`
   * (pooled connections, so they may run concurrently; the relay's own connection runs one statement
   * at a time). `claimed` resolves to the events whose `handler_runs` row the relay won (the others
   * were handled by a per-event job before): the handler may read for all `events` while that claim
   * runs, but writes only for the claimed ones. Without it (a caller of its own), all are claimed.
   */
  handleRelayed(
    events: readonly EventView[],
    outside: <T>(read: () => Promise<T>) => Promise<T>,
    claimed?: () => Promise<readonly EventView[]>,
  ): Promise<void>;
}

/** Where batch-capable handlers register (at module init); the relay (worker role) runs them. */
export abstract class RelayedEventHandlers {
  abstract register(handler: RelayedEventsHandler): void;
  abstract list(): readonly RelayedEventsHandler[];
}

/** The registry itself: a list, filled at module init. */
export class RelayedEventHandlerList extends RelayedEventHandlers {
  private readonly handlers: RelayedEventsHandler[] = [];

  register(handler: RelayedEventsHandler): void {
    if (!this.handlers.some((h) => h.name === handler.name)) this.handlers.push(handler);
  }

  list(): readonly RelayedEventsHandler[] {
    return this.handlers;
  }
}
