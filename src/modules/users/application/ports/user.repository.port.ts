import { Role } from '../../domain/role';
import { User } from '../../domain/user.aggregate';

/** Keyset position: the last row of the previous page. */
export interface UserListPosition {
  createdAt: Date;
  id: string;
}

export interface UserListQuery {
  role?: Role;
  active?: boolean;
  /** Case-insensitive substring of name or email (LIKE wildcards in it are literal). */
  q?: string;
  limit: number;
  /** Return only users strictly after this position in (createdAt, id) order. */
  after?: UserListPosition;
}

/**
 * Persistence of User aggregates. Every method joins the ambient UnitOfWork transaction when one
 * is running.
 */
export abstract class UserRepository {
  abstract findById(id: string): Promise<User | null>;
  /** Unknown ids are skipped; order is unspecified. */
  abstract findByIds(ids: readonly string[]): Promise<User[]>;
  /** Case-insensitive: the argument is normalized (trimmed, lower-cased) by the adapter too. */
  abstract findByEmail(email: string): Promise<User | null>;
  abstract emailTaken(email: string): Promise<boolean>;
  /**
   * Inserts (persistedVersion 0) or updates the user. A unique violation on email must surface as
   * EmailTakenError (the emailTaken check before it is only a friendly fast path: two concurrent
   * registrations can both pass it).
   */
  abstract save(user: User): Promise<void>;
  abstract countActiveAdmins(): Promise<number>;
  /** Sorted by (createdAt, id) ascending. */
  abstract list(query: UserListQuery): Promise<User[]>;
  /**
   * Serializes changes that can reduce the number of active admins: holds a transaction-scoped
   * lock (e.g. `SELECT … FOR UPDATE` on the active admins, or `pg_advisory_xact_lock`) until the
   * unit of work ends, so two concurrent demotions of the last two admins cannot both see "2".
   * Must be called inside UnitOfWork.run, before countActiveAdmins.
   */
  abstract lockAdmins(): Promise<void>;
}
