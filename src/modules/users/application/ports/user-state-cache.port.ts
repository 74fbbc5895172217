import { Role } from '../../domain/role';
import type { User } from '../../domain/user.aggregate';

/**
 * What the per-request auth check needs to know about a user, and what the directory shows other
 * contexts (email, name): one entry serves both, so an assignee check or a recipient look-up of a
 * user seen recently reads no row.
 */
export interface UserState {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  version: number;
  /** Access tokens issued below this user version are refused (password change, deactivation)… */
  minTokenVersion: number;
  /** …except those of this session (the one that changed the password). */
  keptSessionId: string | null;
}

/**
 * Optional short-lived cache in front of the user lookup done on every authenticated request.
 * The use cases that change a user invalidate its entry after they commit. Adapters should still
 * expire entries after a few seconds (a read racing with a write can store a state that was just
 * replaced).
 */
export abstract class UserStateCache {
  private readonly changeListeners = new Set<(id: string | null) => void>();

  abstract get(id: string): Promise<UserState | undefined>;
  abstract set(state: UserState): Promise<void>;
  abstract invalidate(id: string): Promise<void>;

  /**
   * Told whenever an entry is dropped because the user may have changed: their id, or null when
   * every user may have (notifications were missed). Long-lived connections re-check their caller
   * on it (CallerWatchService) instead of polling the database per connection.
   */
  onChange(listener: (id: string | null) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Adapters call this when they drop an entry (or all of them: null). */
  protected changed(id: string | null): void {
    for (const listener of this.changeListeners) listener(id);
  }
}

/** The cache entry of a user just read from the store. */
export function userStateOf(user: User): UserState {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    active: user.active,
    version: user.version,
    minTokenVersion: user.minTokenVersion,
    keptSessionId: user.keptSessionId,
  };
}
