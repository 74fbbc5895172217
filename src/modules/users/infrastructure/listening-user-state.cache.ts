import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../../../kernel';
import { DatabaseConnectionInfo, PgNotificationListener } from '../../../platform/database';
import { UserState, UserStateCache } from '../application/ports/user-state-cache.port';

/** Channel the `users_notify_state` trigger notifies with a user's id when its row changes. */
export const USER_STATE_CHANNEL = 'taskwire_user_state';
/** Entries kept at most (the oldest go first); one per active caller is enough. */
const MAX_ENTRIES = 10_000;
/** Bound on any staleness the notifications could not prevent. */
const TTL_MS = 60_000;

/** What the cache needs of its LISTEN connection (PgNotificationListener; a fake in unit tests). */
export interface StateChangeListener {
  readonly listening: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
}

interface Entry {
  state: UserState;
  expiresAt: number;
}

/**
 * Process-local cache of the per-request user state, kept exact by PostgreSQL notifications:
 *
 * - Every change to a user row (any writer: the app, the CLI, an operator's SQL) fires a trigger
 *   that notifies `taskwire_user_state` with the id at commit; every process drops that entry.
 *   The use cases that change a user also invalidate locally right after their commit, so in the
 *   process that made the change it takes effect on the very next request; other processes see it
 *   as soon as the notification arrives (normally within a millisecond of the commit).
 * - While the LISTEN connection is down, nothing is cached or served from the cache (a missed
 *   notification could leave a stale entry), and everything cached is dropped when it comes back.
 * - A read that raced with an invalidation is not stored: `set` only stores when no invalidation
 *   happened since the `get` that missed (a global generation counter).
 */
@Injectable()
export class ListeningUserStateCache extends UserStateCache implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ListeningUserStateCache.name);
  private readonly entries = new Map<string, Entry>();
  /** id → generation at the time its `get` missed. */
  private readonly misses = new Map<string, number>();
  private generation = 0;
  private listener: StateChangeListener | null = null;

  constructor(
    private readonly connection: DatabaseConnectionInfo,
    private readonly clock: Clock,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    this.listener = this.listen(
      (id) => this.drop(id),
      () => this.dropAll(),
    );
    // Without the connection the cache stays off (every request reads the user); it retries itself.
    await this.listener.start().catch((err: Error) => this.logger.warn(`user-state cache off until LISTEN works: ${err.message}`));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.stop();
    this.listener = null;
    this.dropAll();
  }

  /** @param onChanged a user's id from the trigger @param onGap notifications may have been missed */
  protected listen(onChanged: (id: string) => void, onGap: () => void): StateChangeListener {
    return new PgNotificationListener(this.connection.url, USER_STATE_CHANNEL, onChanged, onGap, onGap);
  }

  private get listening(): boolean {
    return this.listener?.listening ?? false;
  }

  get(id: string): Promise<UserState | undefined> {
    const entry = this.listening ? this.entries.get(id) : undefined;
    if (entry && entry.expiresAt > this.clock.now().getTime()) return Promise.resolve({ ...entry.state });
    if (entry) this.entries.delete(id);
    if (this.misses.size >= MAX_ENTRIES) this.misses.clear();
    this.misses.set(id, this.generation);
    return Promise.resolve(undefined);
  }

  set(state: UserState): Promise<void> {
    const missedAt = this.misses.get(state.id);
    this.misses.delete(state.id);
    if (missedAt === this.generation && this.listening) {
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(state.id, { state: { ...state }, expiresAt: this.clock.now().getTime() + TTL_MS });
    }
    return Promise.resolve();
  }

  invalidate(id: string): Promise<void> {
    this.drop(id);
    return Promise.resolve();
  }

  private drop(id: string): void {
    this.generation++;
    this.entries.delete(id);
    this.changed(id);
  }

  private dropAll(): void {
    this.generation++;
    this.entries.clear();
    this.changed(null);
  }
}
