import type { CurrentUser } from '../../domain/current-user';

/** An authenticated request as the guard saw it: the caller and what their access token says. */
export interface AuthSession {
  readonly caller: CurrentUser;
  /** The token's `ver` claim (the user's version when it was issued). */
  readonly tokenVersion: number;
  /** When the access token expires (its `exp`). */
  readonly expiresAt: Date;
  /** The token's `sid` (its session); the session that changed the password keeps working. */
  readonly sessionId?: string;
}

/** Why a watch ended: the user can no longer authenticate, or the token ran out, or the check failed. */
export type CallerWatchEnd = 'deactivated' | 'expired' | 'unavailable';

/** The caller of one long-lived connection, kept current. */
export interface WatchedCaller {
  /**
   * The caller's rights as of now. Resolves at once while nothing changed; after a change to the
   * user (or the periodic re-check) it waits for the fresh state. null once the watch has ended.
   */
  current(): Promise<CurrentUser | null>;
  /** Stops watching (the connection closed); `onEnd` is not called afterwards. */
  stop(): void;
}

/**
 * For connections that outlive their request (the event stream): a plain request is checked
 * against the user's current state once, a stream must follow it. `watch` keeps the caller's role
 * current and calls `onEnd` once when the connection must close: the user was deactivated or
 * deleted (within a few seconds, in any process), the access token expired, or the check failed.
 */
export abstract class CallerWatch {
  abstract watch(session: AuthSession, onEnd: (reason: CallerWatchEnd) => void): WatchedCaller;
}
