import { Injectable, OnApplicationShutdown, Optional } from '@nestjs/common';
import { Clock } from '../../../kernel';
import { CurrentUser } from '../domain/current-user';
import { AuthSession, CallerWatch, CallerWatchEnd, WatchedCaller } from './ports/caller-watch.port';
import { UserStateCache } from './ports/user-state-cache.port';
import { CurrentUserService } from './current-user.service';

/** Safety net under the change notifications (a LISTEN connection that was down misses them). */
export const CALLER_RECHECK_MS = 5_000;
/** setTimeout's limit; a longer token lifetime is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** The watches of one (user, token version): their caller is read once for all of them. */
interface Group {
  readonly key: string;
  readonly userId: string;
  readonly tokenVersion: number;
  readonly sessionId: string | undefined;
  caller: CurrentUser;
  /** The re-read in flight; `current()` waits for it. */
  refreshing: Promise<CurrentUser | null> | null;
  /** A change arrived since the in-flight read started: read again before answering. */
  dirty: boolean;
  readonly watches: Set<Watch>;
}

interface Watch {
  readonly group: Group;
  readonly onEnd: (reason: CallerWatchEnd) => void;
  timer: NodeJS.Timeout | null;
  ended: boolean;
}

/**
 * CallerWatch over the same per-request check (CurrentUserService, through the user-state cache):
 *
 * - The cache tells which user changed (its PostgreSQL notification, or the local invalidation in
 *   the process that made the change). The affected watches re-read their caller at once, and
 *   `current()` waits for that read, so an event sent after a demotion is judged by the new role.
 * - Every few seconds all watched users are re-checked anyway (through the cache, so normally no
 *   database read): a missed notification cannot keep a deactivated user's stream open.
 * - Watches of the same user and token version share one read, however many connections.
 * - A timer per watch ends it when its access token expires.
 */
@Injectable()
export class CallerWatchService extends CallerWatch implements OnApplicationShutdown {
  private readonly groups = new Map<string, Group>();
  private readonly byUser = new Map<string, Set<Group>>();
  private ticker: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly currentUser: CurrentUserService,
    private readonly clock: Clock,
    @Optional() cache?: UserStateCache,
  ) {
    super();
    this.unsubscribe = cache?.onChange((id) => this.changed(id)) ?? (() => undefined);
  }

  watch(session: AuthSession, onEnd: (reason: CallerWatchEnd) => void): WatchedCaller {
    const group = this.groupFor(session);
    const watch: Watch = { group, onEnd, timer: null, ended: false };
    group.watches.add(watch);
    this.armExpiry(watch, session.expiresAt.getTime());
    if (!this.ticker) {
      this.ticker = setInterval(() => this.recheckAll(), CALLER_RECHECK_MS);
      this.ticker.unref();
    }
    return {
      current: async () => {
        if (watch.ended) return null;
        const caller = group.refreshing ? await group.refreshing : group.caller;
        return watch.ended ? null : caller;
      },
      stop: () => this.finish(watch, null),
    };
  }

  /** Connections being watched (for tests and metrics). */
  get watching(): number {
    let n = 0;
    for (const group of this.groups.values()) n += group.watches.size;
    return n;
  }

  onApplicationShutdown(): void {
    this.unsubscribe();
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
  }

  private groupFor(session: AuthSession): Group {
    const key = `${session.caller.id}:${session.tokenVersion}:${session.sessionId ?? ''}`;
    let group = this.groups.get(key);
    if (!group) {
      group = {
        key,
        userId: session.caller.id,
        tokenVersion: session.tokenVersion,
        sessionId: session.sessionId,
        caller: session.caller,
        refreshing: null,
        dirty: false,
        watches: new Set(),
      };
      this.groups.set(key, group);
      let ofUser = this.byUser.get(group.userId);
      if (!ofUser) this.byUser.set(group.userId, (ofUser = new Set()));
      ofUser.add(group);
    }
    return group;
  }

  private changed(id: string | null): void {
    if (id === null) return this.recheckAll();
    for (const group of this.byUser.get(id) ?? []) this.refresh(group);
  }

  private recheckAll(): void {
    for (const group of this.groups.values()) this.refresh(group);
  }

  /** Marks the group stale at once (synchronously) and re-reads its caller. */
  private refresh(group: Group): void {
    group.dirty = true;
    if (group.refreshing) return;
    group.refreshing = (async () => {
      let caller: CurrentUser | null;
      try {
        do {
          group.dirty = false;
          caller = await this.currentUser.resolve(group.userId, group.tokenVersion, group.sessionId);
        } while (group.dirty && caller !== null);
      } catch {
        group.refreshing = null;
        this.endGroup(group, 'unavailable');
        return null;
      }
      group.refreshing = null;
      if (caller === null) {
        this.endGroup(group, 'deactivated');
        return null;
      }
      group.caller = group.sessionId === undefined ? caller : { ...caller, sessionId: group.sessionId };
      return caller;
    })();
  }

  private armExpiry(watch: Watch, expiresAtMs: number): void {
    const left = expiresAtMs - this.clock.now().getTime();
    if (left <= 0) {
      queueMicrotask(() => this.finish(watch, 'expired'));
      return;
    }
    watch.timer = setTimeout(() => this.armExpiry(watch, expiresAtMs), Math.min(left, MAX_TIMER_MS));
    watch.timer.unref();
  }

  private endGroup(group: Group, reason: CallerWatchEnd): void {
    for (const watch of [...group.watches]) this.finish(watch, reason);
  }

  /** Ends one watch once: with a reason its owner is told, with null (stop) it is not. */
  private finish(watch: Watch, reason: CallerWatchEnd | null): void {
    if (watch.ended) return;
    watch.ended = true;
    if (watch.timer) clearTimeout(watch.timer);
    const { group } = watch;
    group.watches.delete(watch);
    if (group.watches.size === 0 && this.groups.get(group.key) === group) {
      this.groups.delete(group.key);
      const ofUser = this.byUser.get(group.userId);
      ofUser?.delete(group);
      if (ofUser?.size === 0) this.byUser.delete(group.userId);
    }
    if (this.groups.size === 0 && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = null;
    }
    if (reason) watch.onEnd(reason);
  }
}
