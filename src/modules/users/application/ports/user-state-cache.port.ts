import { Role } from '../../domain/role';

/** What the per-request auth check needs to know about a user. */
export interface UserState {
  id: string;
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
  abstract get(id: string): Promise<UserState | undefined>;
  abstract set(state: UserState): Promise<void>;
  abstract invalidate(id: string): Promise<void>;
}
